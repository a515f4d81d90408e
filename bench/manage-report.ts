/** What bench/manage-pages.ts measures: request latency in ms at the seeded scale. */
export interface ManageFigures {
  seedSeconds: number;
  rows: { flowRuns: number; artifacts: number; keys: number };
  limits: number;
  concurrencyAll: { p50: number; p95: number };
  concurrencyPool: { p50: number; p95: number };
  artifactKeysFirst: { p50: number; p95: number };
  artifactKeysMiddle: { p50: number; p95: number };
}

/** The markdown block of docs/benchmarks.md for the management pages' reads. */
export function renderManageReport(
  f: ManageFigures & { command: string; date: string; machine: string },
): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const row = (what: string, t: { p50: number; p95: number }) => `| ${what} | ${t.p50} ms | ${t.p95} ms |`;
  return [
    `Command: \`${f.command}\` · ${f.date} · ${f.machine} · PostgreSQL`,
    "",
    `Seeded: ${n(f.rows.flowRuns)} flow runs, ${n(f.rows.artifacts)} artifacts under ${n(f.rows.keys)} keys, ${n(f.limits)} concurrency limits.`,
    "",
    "| Read (sequential requests after a warm-up) | p50 | p95 |",
    "| --- | --- | --- |",
    row(`GET /api/concurrency: all ${n(f.limits)} limits with holders and waiters`, f.concurrencyAll),
    row("GET /api/concurrency?workPool=pool-0: one pool's page", f.concurrencyPool),
    row("POST /api/artifacts/keys: first page of 25 keys", f.artifactKeysFirst),
    row("POST /api/artifacts/keys: a page of 25 from the middle (cursor)", f.artifactKeysMiddle),
  ].join("\n");
}
