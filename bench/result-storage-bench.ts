/**
 * The result-storage scenario of `npm run bench`: starts one S3-protocol server (its own process) and
 * runs each case of bench/result-storage.ts in a fresh process, Sluice and direct alternating.
 */
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { startS3TestServer } from "@sluice/sdk/testing";
import { BENCH_BUCKET, type CaseOutput, type CaseSamples } from "./result-storage.js";
import type { StorageCaseFigures, StorageFigures } from "./result-storage-report.js";

const nodeArgs = ["--conditions=@sluice/source", "--import", "tsx"];

function runCase(root: string, env: Record<string, string>): Promise<CaseOutput> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(root, "bench/result-storage.ts")], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) =>
      code === 0
        ? resolveRun(JSON.parse(out.trim().split("\n").pop()!) as CaseOutput)
        : reject(new Error(`bench/result-storage.ts ${JSON.stringify(env)} exited with code ${code}`)),
    );
  });
}

function merge(into: Record<string, CaseSamples>, from: Record<string, CaseSamples>): void {
  for (const [name, s] of Object.entries(from)) {
    const entry = (into[name] ??= { ms: [], bytes: 0 });
    entry.ms.push(...s.ms);
    entry.bytes += s.bytes;
  }
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

function figures(s: CaseSamples | undefined, peakRssGrowthMb: number): StorageCaseFigures {
  if (!s || s.ms.length === 0) throw new Error("a benchmark case produced no samples");
  const sorted = [...s.ms].sort((a, b) => a - b);
  const totalMs = s.ms.reduce((a, b) => a + b, 0);
  return {
    ops: s.ms.length,
    opsPerSecond: round((s.ms.length * 1000) / totalMs, 0),
    p50Ms: round(sorted[Math.floor(sorted.length / 2)]!, 2),
    // From the median duration: on this shared machine one stalled operation would swing a mean.
    mbPerSecond: round(s.bytes / s.ms.length / 1e6 / (sorted[Math.floor(sorted.length / 2)]! / 1000)),
    peakRssGrowthMb,
  };
}

/** Runs the scenario; `quick` uses fewer operations. */
export async function measureResultStorage(
  root: string,
  quick: boolean,
): Promise<Omit<StorageFigures, "command">> {
  const s3 = await startS3TestServer({ buckets: [BENCH_BUCKET] });
  try {
    const env = { S3_ENDPOINT: s3.endpoint };
    const small: Record<string, CaseSamples> = {};
    const large: Record<string, CaseSamples> = {};
    const rss = { sluice: 0, direct: 0 };
    const rounds = quick ? 1 : 4;
    for (let r = 0; r < rounds; r++) {
      console.error(`[bench] result storage: round ${r + 1} of ${rounds}`);
      merge(small, (await runCase(root, { ...env, CASE: "small", OPS: quick ? "100" : "250" })).samples);
      // Which side goes first alternates: the server may still be flushing the previous case's files.
      const sides = r % 2 === 0 ? (["sluice", "direct"] as const) : (["direct", "sluice"] as const);
      for (const side of sides) {
        const out = await runCase(root, { ...env, CASE: "large", SIDE: side, OPS: "3" });
        merge(large, out.samples);
        rss[side] = Math.max(rss[side], out.peakRssGrowthMb);
      }
    }
    const streamed = [];
    for (const mib of [50, 200]) {
      const out = await runCase(root, { ...env, CASE: "streamed", STREAM_MIB: String(mib) });
      streamed.push({
        mib,
        peakRssGrowthMb: out.peakRssGrowthMb,
        writeMbPerSecond: figures(out.samples["streamed write"], 0).mbPerSecond,
        readMbPerSecond: figures(out.samples["streamed read"], 0).mbPerSecond,
      });
    }
    return {
      date: new Date().toISOString(),
      machine: `${execFileSync("nproc").toString().trim()} cores, Node ${process.version}`,
      smallBytes: 1024,
      largeBytes: 50 * 1024 * 1024,
      rows: [
        {
          size: "1 KB",
          operation: "write",
          sluice: figures(small["sluice write"], 0),
          direct: figures(small["direct write"], 0),
        },
        {
          size: "1 KB",
          operation: "read",
          sluice: figures(small["sluice read"], 0),
          direct: figures(small["direct read"], 0),
        },
        {
          size: "50 MB",
          operation: "write",
          sluice: figures(large["sluice write"], rss.sluice),
          direct: figures(large["direct write"], rss.direct),
        },
        {
          size: "50 MB",
          operation: "read",
          sluice: figures(large["sluice read"], rss.sluice),
          direct: figures(large["direct read"], rss.direct),
        },
      ],
      streamed,
    };
  } finally {
    await s3.close();
  }
}
