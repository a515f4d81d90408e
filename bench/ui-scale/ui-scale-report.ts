/** Renders the ui-scale benchmark as the markdown block kept in docs/benchmarks.md. */
import type { UiScaleFigures } from "./ui-scale-bench.js";

const API_TARGET_MS = 100;
const TTI_TARGET_MS = 1000;

const mark = (ms: number, target: number) => (ms <= target ? `${ms}` : `**${ms}** (over ${target})`);

function costRow(label: string, cost: { on: number; off: number }): string {
  return `| ${label} | ${cost.on} | ${cost.off} | ${Math.round((cost.on - cost.off) * 1000) / 1000} |`;
}

export function renderUiScaleReport(f: UiScaleFigures): string {
  const lines = [
    `\`${f.command}\` on ${f.date.slice(0, 10)}, ${f.machine}: ${f.flowRuns.toLocaleString("en")} flow runs and ` +
      `${f.taskRuns.toLocaleString("en")} task runs` +
      (f.seedSeconds === null
        ? " (seeded earlier)."
        : ` (seeded, indexed and vacuumed in ${Math.round(f.seedSeconds)} s).`),
    "",
    `API calls, one at a time after 3 warm-ups, 50 calls each (a call taking seconds: about 20 s of calls, at least 5); target: p95 at most ${API_TARGET_MS} ms:`,
    "",
    "| page | call | calls | p50 ms | p95 ms | max ms | items |",
    "| ---- | ---- | ----: | -----: | -----: | -----: | ----: |",
    ...f.api.map(
      (a) =>
        `| ${a.page} | ${a.call} | ${a.calls} | ${a.p50Ms} | ${mark(a.p95Ms, API_TARGET_MS)} | ${a.maxMs} | ${a.items} |`,
    ),
    "",
    `Cold page loads in chromium, time to interactive (navigation start to data rendered and no long task pending; target ${TTI_TARGET_MS} ms):`,
    "",
    "| page | loads | p50 ms | p95 ms | max ms | long tasks (all loads) |",
    "| ---- | ----: | -----: | -----: | -----: | ---------------------: |",
    ...f.browser.loads.map(
      (l) =>
        `| \`${l.path}\` | ${l.loads} | ${l.p50Ms} | ${mark(l.p95Ms, TTI_TARGET_MS)} | ${l.maxMs} | ${l.longTasks} |`,
    ),
    "",
    "Requests per page view (a cold load; every request the page makes, of them API calls including the event stream):",
    "",
    "| page | requests | API |",
    "| ---- | -------: | --: |",
    ...f.browser.requests.map(
      (r) => `| \`${r.path.replace(/[0-9a-f-]{36}$/, "{id}")}\` | ${r.total} | ${r.api} |`,
    ),
    "",
    `What the hourly run counters cost their writers: the same statements with the counting triggers on and off, alternating, ${f.writeCost.rounds} rounds each, in a transaction rolled back afterwards (medians):`,
    "",
    "| write | triggers on, ms | triggers off, ms | added, ms |",
    "| ----- | --------------: | ---------------: | --------: |",
    costRow("a task-run batch: 50 inserted, then 50 updated", f.writeCost.taskBatch),
    costRow("one flow-run row updated", f.writeCost.flowRunUpdate),
  ];
  return lines.join("\n");
}
