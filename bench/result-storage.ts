/**
 * One case of the result-storage benchmark (driven by result-storage-bench.ts), in a fresh process so
 * its peak RSS says what this case needed. Sluice's persistResult/readResult through S3Storage, or the
 * same work directly with the AWS SDK (JSON.stringify + PutObject, GetObject + JSON.parse; raw bytes
 * for 50 MB), against the S3-protocol server at S3_ENDPOINT (bucket "bench").
 * CASE=small: OPS 1 KB values each way, Sluice and direct alternating, sequential.
 * CASE=large SIDE=sluice|direct: OPS 50 MB values written then read back.
 * CASE=streamed: one STREAM_MIB (50) MiB value streamed up (Storage.write of a Readable) and down (readStream).
 * Prints one JSON line.
 */
import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { persistResult, readResult, S3Storage } from "@sluice/sdk";
import type { ResultRef } from "@sluice/contracts";

export const BENCH_BUCKET = "bench";
export const BENCH_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const SMALL = 1024;
const LARGE = 50 * 1024 * 1024;

/** Durations of one kind of operation and the bytes they moved. */
export interface CaseSamples {
  ms: number[];
  bytes: number;
}

/** What one process reports: samples per operation, and its peak RSS above the level before the case. */
export interface CaseOutput {
  samples: Record<string, CaseSamples>;
  peakRssGrowthMb: number;
}

function rssTracker() {
  const base = process.memoryUsage.rss();
  let peak = base;
  const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
  const timer = setInterval(sample, 5);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Math.round((peak - base) / 1e5) / 10;
    },
  };
}

async function timed(
  samples: Record<string, CaseSamples>,
  name: string,
  bytes: number,
  fn: () => Promise<unknown>,
) {
  const entry = (samples[name] ??= { ms: [], bytes: 0 });
  const t0 = performance.now();
  await fn();
  entry.ms.push(performance.now() - t0);
  entry.bytes += bytes;
}

const smallValue = (i: number) => ({ i, text: "x".repeat(SMALL - 20 - String(i).length) });

async function smallCase(storage: S3Storage, ops: number, samples: Record<string, CaseSamples>) {
  const { client } = storage;
  const refs: ResultRef[] = [];
  for (let n = 0; n < ops; n++) {
    await timed(samples, "sluice write", SMALL, async () =>
      refs.push(await persistResult(storage, `s/${n}.json`, smallValue(n))),
    );
    await timed(samples, "direct write", SMALL, () =>
      client.send(
        new PutObjectCommand({
          Bucket: BENCH_BUCKET,
          Key: `d/${n}.json`,
          Body: JSON.stringify(smallValue(n)),
        }),
      ),
    );
  }
  for (let n = 0; n < ops; n++) {
    await timed(samples, "sluice read", SMALL, () => readResult(storage, refs[n]!));
    await timed(samples, "direct read", SMALL, async () => {
      const answer = await client.send(new GetObjectCommand({ Bucket: BENCH_BUCKET, Key: `d/${n}.json` }));
      return JSON.parse(await answer.Body!.transformToString()) as unknown;
    });
  }
}

async function largeCase(
  storage: S3Storage,
  ops: number,
  side: string,
  samples: Record<string, CaseSamples>,
) {
  const { client } = storage;
  const value = new Uint8Array(LARGE).fill(7);
  for (let n = 0; n < ops; n++) {
    if (side === "sluice") {
      let ref: ResultRef | undefined;
      await timed(
        samples,
        "sluice write",
        LARGE,
        async () => (ref = await persistResult(storage, `L/s${n}.bin`, value)),
      );
      await timed(samples, "sluice read", LARGE, () => readResult(storage, ref!));
    } else {
      await timed(samples, "direct write", LARGE, () =>
        client.send(new PutObjectCommand({ Bucket: BENCH_BUCKET, Key: `L/d${n}.bin`, Body: value })),
      );
      await timed(samples, "direct read", LARGE, async () => {
        const answer = await client.send(new GetObjectCommand({ Bucket: BENCH_BUCKET, Key: `L/d${n}.bin` }));
        return answer.Body!.transformToByteArray();
      });
    }
  }
}

async function streamedCase(storage: S3Storage, mib: number, samples: Record<string, CaseSamples>) {
  const size = mib * (1 << 20);
  async function* chunks() {
    for (let i = 0; i < mib; i++) yield Buffer.alloc(1 << 20, i);
  }
  await timed(samples, "streamed write", size, () =>
    storage.write("stream/big.bin", Readable.from(chunks())),
  );
  await timed(samples, "streamed read", size, async () => {
    let bytes = 0;
    for await (const chunk of await storage.readStream("stream/big.bin")) bytes += (chunk as Buffer).length;
    if (bytes !== size) throw new Error(`streamed read returned ${bytes} bytes`);
  });
}

async function main(): Promise<void> {
  const endpoint = process.env.S3_ENDPOINT;
  if (!endpoint) throw new Error("S3_ENDPOINT must point at the S3-protocol server");
  const storage = new S3Storage({
    bucket: BENCH_BUCKET,
    endpoint,
    credentials: BENCH_CREDENTIALS,
    forcePathStyle: true,
    name: "s3-bucket/bench",
  });
  // Warm-up: connections, JIT, module loading; the RSS baseline is taken after it.
  for (let i = 0; i < 20; i++)
    await readResult(storage, await persistResult(storage, `warm/${process.pid}/${i}`, i));
  const ops = Number(process.env.OPS ?? 1);
  const samples: Record<string, CaseSamples> = {};
  const rss = rssTracker();
  if (process.env.CASE === "small") await smallCase(storage, ops, samples);
  else if (process.env.CASE === "large") await largeCase(storage, ops, process.env.SIDE ?? "sluice", samples);
  else await streamedCase(storage, Number(process.env.STREAM_MIB ?? 50), samples);
  const output: CaseOutput = { samples, peakRssGrowthMb: rss.stop() };
  process.stdout.write(`${JSON.stringify(output)}\n`);
  storage.destroy();
}

if (process.argv[1]?.endsWith("result-storage.ts")) await main();
