import type { StateType } from "@sluice/contracts";

/** Where output goes; injectable so formatting can be tested without a terminal. */
export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const defaultStreams: OutputStreams = { stdout: process.stdout, stderr: process.stderr };

/** True when colour may be used on `stream`: a TTY, and NO_COLOR unset (FORCE_COLOR forces it). */
export function shouldColor(stream: { isTTY?: boolean } = process.stdout): boolean {
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0") return true;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  return stream.isTTY === true;
}

const ANSI = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 } as const;
type Color = keyof typeof ANSI;

/** Wraps `text` in an ANSI colour when `enabled`. */
export function paint(text: string, color: Color, enabled: boolean): string {
  return enabled ? `\u001b[${ANSI[color]}m${text}\u001b[0m` : text;
}

const STATE_COLORS: Record<StateType, Color> = {
  SCHEDULED: "yellow",
  PENDING: "gray",
  RUNNING: "blue",
  COMPLETED: "green",
  FAILED: "red",
  CANCELLING: "gray",
  CANCELLED: "gray",
  CRASHED: "magenta",
  PAUSED: "gray",
};

/** A state's name, coloured by its type when `color` is on. */
export function formatState(
  type: StateType | null | undefined,
  name: string | null | undefined,
  color: boolean,
): string {
  if (!type) return "-";
  return paint(name ?? type, STATE_COLORS[type], color);
}

// Matches ANSI colour sequences so padding counts only visible characters.
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;

/** Visible width of a string, ignoring colour codes. */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI_PATTERN, "")].length;
}

/** One column of a table: a header and how to render a row's cell. */
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Right-align (numbers). Default false. */
  alignRight?: boolean;
  /** Longest cell before it is cut with an ellipsis (default 60). */
  maxWidth?: number;
}

function truncate(text: string, max: number): string {
  const plain = text.replace(ANSI_PATTERN, "");
  if ([...plain].length <= max) return text;
  return [...plain].slice(0, Math.max(1, max - 1)).join("") + "…";
}

/** Renders rows as an aligned plain-text table with a header line; cells never contain newlines. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) =>
    columns.map((c) => truncate(c.value(row).replace(/\s*\n\s*/g, " "), c.maxWidth ?? 60)),
  );
  const widths = columns.map((c, i) =>
    Math.max(visibleWidth(c.header), ...cells.map((r) => visibleWidth(r[i] ?? ""))),
  );
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => {
        const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(v)));
        if (columns[i]?.alignRight) return pad + v;
        return i === values.length - 1 ? v : v + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join("\n");
}

/** Renders key/value pairs as aligned lines ("key:  value"). */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([k]) => k.length)) + 1;
  return fields.map(([k, v]) => `${(k + ":").padEnd(width)}  ${v}`).join("\n");
}

/** Compact timestamp for tables: "2026-01-02 03:04:05" in UTC, or "-" when absent. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "-";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace("T", " ").slice(0, 19);
}

/** A duration in ms as "850ms", "12.3s", "4m 05s" or "2h 03m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** Prints a value as pretty JSON on stdout. */
export function printJson(value: unknown, streams: OutputStreams = defaultStreams): void {
  streams.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Prints a line on stdout. */
export function printLine(text = "", streams: OutputStreams = defaultStreams): void {
  streams.stdout.write(text + "\n");
}

/** Prints a line on stderr (notes and warnings, so stdout stays parseable). */
export function printNote(text: string, streams: OutputStreams = defaultStreams): void {
  streams.stderr.write(text + "\n");
}

/** A progress indicator for long waits: a spinner on stderr when it is a TTY, silent otherwise. */
export interface Progress {
  update(text: string): void;
  /** Erases the spinner line so other output can be printed; it redraws on the next tick. */
  clear(): void;
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Starts a spinner with `text` on stderr; a no-op when stderr is not a TTY. */
export function startProgress(text: string, stream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined, stop: () => undefined };
  let current = text;
  let frame = 0;
  const render = () => {
    stream.write(`\r\u001b[2K${FRAMES[frame % FRAMES.length] ?? ""} ${current}`);
    frame += 1;
  };
  render();
  const timer = setInterval(render, 80);
  timer.unref();
  return {
    update(next) {
      current = next;
    },
    clear() {
      stream.write("\r\u001b[2K");
    },
    stop() {
      clearInterval(timer);
      stream.write("\r\u001b[2K");
    },
  };
}

/** Runs `work` with a spinner showing `text`, clearing it however `work` ends. */
export async function withProgress<T>(text: string, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = startProgress(text);
  try {
    return await work(progress);
  } finally {
    progress.stop();
  }
}

/** Prints a page of a listing: JSON (the items) or a table, with a note on stderr when more match. */
export function printListing<T>(
  page: { items: readonly T[]; nextCursor: string | null },
  columns: readonly Column<T>[],
  options: { json?: boolean | undefined; noun: string },
): void {
  if (options.json) return printJson(page.items);
  printLine(page.items.length === 0 ? `No ${options.noun}.` : formatTable(page.items, columns));
  if (page.nextCursor !== null) {
    printNote(
      `Showing the first ${page.items.length} ${options.noun}; more match (raise --limit, or narrow the filters).`,
    );
  }
}
