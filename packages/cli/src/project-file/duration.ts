// P[nW][nD][T[nH][nM][nS]]: years and months are left out because their length in seconds varies.
const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

const UNIT_SECONDS = [7 * 86_400, 86_400, 3600, 60, 1] as const;

/**
 * Parses an ISO-8601 duration of weeks, days, hours, minutes and seconds (`PT1H`, `P1DT12H`, `PT90S`)
 * into seconds; undefined when it is not one (years and months are refused: their length varies).
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = ISO_DURATION.exec(text.trim());
  if (!match || /T$/i.test(text.trim()) || text.trim().toUpperCase() === "P") return undefined;
  let seconds = 0;
  UNIT_SECONDS.forEach((unit, index) => {
    const amount = match[index + 1];
    if (amount !== undefined) seconds += Number(amount) * unit;
  });
  return seconds;
}

/** Formats seconds for people: "every 1h", "every 1d 12h", "every 90s". */
export function formatEvery(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, label] of [
    [86_400, "d"],
    [3600, "h"],
    [60, "m"],
  ] as const) {
    if (rest >= unit) {
      parts.push(`${Math.floor(rest / unit)}${label}`);
      rest %= unit;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return `every ${parts.join(" ")}`;
}
