/** The figures of bench/result-storage.ts and their markdown table. */

/** One way of writing or reading values: Sluice or the AWS SDK directly. */
export interface StorageCaseFigures {
  /** Values written or read. */
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  /** Megabytes (10^6 bytes) per second at the median duration, for the large values. */
  mbPerSecond: number;
  /** Peak RSS of the case's process above its level after warm-up, in MB (50 MB: write and read together). */
  peakRssGrowthMb: number;
}

export interface StorageFigures {
  command: string;
  date: string;
  machine: string;
  smallBytes: number;
  largeBytes: number;
  rows: {
    size: "1 KB" | "50 MB";
    operation: "write" | "read";
    sluice: StorageCaseFigures;
    direct: StorageCaseFigures;
  }[];
  /** Values made on the fly, streamed through Storage.write(Readable) and Storage.readStream. */
  streamed: { mib: number; peakRssGrowthMb: number; writeMbPerSecond: number; readMbPerSecond: number }[];
}

const TARGET = 0.1;

/** Sluice's rate against the direct one: within 10% or not. */
function verdict(sluice: number, direct: number): string {
  const ratio = sluice / direct;
  const pct = Math.round((ratio - 1) * 1000) / 10;
  return `${pct >= 0 ? "+" : ""}${pct}% (${ratio >= 1 - TARGET ? "meets" : "misses"})`;
}

/** The generated block for docs/benchmarks.md. */
export function renderStorageReport(f: StorageFigures): string {
  const out = [
    `Command: \`${f.command}\` · ${f.date} · ${f.machine}`,
    "",
    "### Result storage: Sluice (persistResult/readResult, S3Storage) against the AWS SDK directly",
    "",
    "| value | operation | ops | Sluice | direct AWS SDK | Sluice vs direct (target: within 10%) | peak RSS growth (write + read), Sluice / direct |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of f.rows) {
    const small = r.size === "1 KB";
    const show = (c: StorageCaseFigures) =>
      small ? `${c.opsPerSecond} ops/s, p50 ${c.p50Ms} ms` : `${c.mbPerSecond} MB/s, p50 ${c.p50Ms} ms`;
    const rate = (c: StorageCaseFigures) => (small ? c.opsPerSecond : c.mbPerSecond);
    out.push(
      `| ${r.size} | ${r.operation} | ${r.sluice.ops} | ${show(r.sluice)} | ${show(r.direct)} | ${verdict(rate(r.sluice), rate(r.direct))} | ${small ? "–" : `${r.sluice.peakRssGrowthMb} / ${r.direct.peakRssGrowthMb} MB`} |`,
    );
  }
  for (const s of f.streamed) {
    out.push(
      `| ${s.mib} MiB streamed (Storage.write of a Readable, Storage.readStream) | write, read | 1 each | ${s.writeMbPerSecond} / ${s.readMbPerSecond} MB/s | – | – | ${s.peakRssGrowthMb} MB / – |`,
    );
  }
  return out.join("\n");
}
