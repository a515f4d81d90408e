/** The CSS custom property holding each state type's colour (the same as the state badges'). */
const STATE_COLOR_VAR: Record<string, string> = {
  COMPLETED: "--ok",
  FAILED: "--bad",
  CRASHED: "--bad",
  RUNNING: "--info",
  PENDING: "--info",
  CANCELLING: "--warn",
  CANCELLED: "--warn",
  PAUSED: "--warn",
  SCHEDULED: "--neutral",
};

/** Colour slots, so a drawing can batch its nodes by colour: one canvas path per colour. */
export const COLOR_SLOTS = ["--ok", "--bad", "--info", "--warn", "--neutral"] as const;
const FALLBACK = ["#2e7d32", "#c62828", "#1769aa", "#b26a00", "#6b7280"];

/** The colour slot of a state type (unknown and missing states are neutral). */
export function colorSlot(stateType: string | null): number {
  return COLOR_SLOTS.indexOf(
    (STATE_COLOR_VAR[stateType ?? ""] ?? "--neutral") as (typeof COLOR_SLOTS)[number],
  );
}

/** The palette for drawing, read from the page's CSS (light or dark mode). */
export interface Palette {
  readonly slots: readonly string[];
  readonly text: string;
  readonly muted: string;
  readonly panel: string;
  readonly border: string;
  readonly accent: string;
  /** Edges: the muted text colour, faded, so dense graphs stay readable. */
  readonly edge: string;
}

export function readPalette(element: Element): Palette {
  return {
    slots: COLOR_SLOTS.map((name, i) => cssColor(element, name, FALLBACK[i]!)),
    text: cssColor(element, "--text", "#1d2433"),
    muted: cssColor(element, "--muted", "#5f6b7a"),
    panel: cssColor(element, "--panel", "#ffffff"),
    border: cssColor(element, "--border", "#dde1ea"),
    accent: cssColor(element, "--accent", "#2760c9"),
    edge: `color-mix(in srgb, ${cssColor(element, "--muted", "#5f6b7a")} 45%, transparent)`,
  };
}

/** Counts of nodes by state name, A to Z, for the drawings' accessible summaries ("3 Completed, 1 Failed"). */
export function stateSummary(
  nodes: readonly { stateType: string | null; stateName: string | null }[],
): string {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const name = n.stateName ?? n.stateType ?? "no state";
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${count.toLocaleString("en")} ${name}`)
    .join(", ");
}

/** The value of a CSS custom property on an element (state colours follow light and dark mode). */
export function cssColor(element: Element, name: string, fallback: string): string {
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value || fallback;
}
