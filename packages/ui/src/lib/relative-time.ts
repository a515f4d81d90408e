import { useEffect, useState } from "react";

/** How long ago `iso` was at `now`, short: "4 s ago", "12 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string | null | undefined, now: number): string {
  if (!iso) return "never";
  const ms = now - new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  if (ms < 0) return `in ${formatSpan(-ms)}`;
  return `${formatSpan(ms)} ago`;
}

/** A span of time in its largest whole unit: "0 s", "59 s", "5 min", "2 h", "3 d". */
export function formatSpan(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/**
 * The current time, re-rendering every `intervalMs` (default 1 s) while mounted: relative times
 * ("12 s ago") and heartbeat health keep ticking between live events without asking the server.
 */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
