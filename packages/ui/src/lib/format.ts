/** A timestamp in the viewer's locale, or an em dash for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** The time between two timestamps (or until now), such as "1.2 s" or "3 min 4 s". */
export function formatDuration(start: string | null, end: string | null): string {
  if (!start) return "—";
  const ms = (end ? new Date(end) : new Date()).getTime() - new Date(start).getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Log level names for the levels the SDK writes. */
export const LOG_LEVELS: readonly { name: string; level: number }[] = [
  { name: "DEBUG", level: 10 },
  { name: "INFO", level: 20 },
  { name: "WARNING", level: 30 },
  { name: "ERROR", level: 40 },
  { name: "CRITICAL", level: 50 },
];

export function levelName(level: number): string {
  let name = "NOTSET";
  for (const candidate of LOG_LEVELS) if (level >= candidate.level) name = candidate.name;
  return name;
}
