/**
 * The production topology as separate processes on loopback, for the production-topology test and
 * its benchmark: PostgreSQL (a fresh database on the machine's server), Redis and an S3-protocol
 * server standing in for MinIO, the migration step, two server replicas and two workers, all
 * configured from ONE env file in the format of .env.example, read by node itself
 * (`node --env-file=FILE`, as compose's env_file hands it to each container).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@sluice/client";
import {
  createScratchDatabase,
  startRedisProcess,
  TEST_ENCRYPTION_KEY,
  type RedisProcess,
  type ScratchDatabase,
} from "@sluice/server";
import { startS3TestServer, type S3TestServer } from "@sluice/sdk/testing";
import { ROOT } from "./cli-process.js";
import { freePort } from "./free-port.js";

/** The CLI as `npm install` builds it (packages/cli/dist), which the images run. */
const BUILT_CLI = join(ROOT, "packages/cli/dist/main.js");

/** The example pipeline's project file. */
export const LIFECYCLE = join(ROOT, "examples/build-lifecycle/sluice.yaml");
/** The instant flow's project (copied into the repository, so `@sluice/sdk` resolves for it). */
const FIXTURE = join(ROOT, "tests/e2e/fixtures/topology");

/** A process of the topology. */
export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
}

/** Options of startTopology. */
export interface TopologyOptions {
  /** PostgreSQL URL whose server gets a fresh database (for example SLUICE_TEST_DATABASE_URL). */
  adminUrl: string;
  /** Most flow runs at once per worker (`sluice worker start --limit`). */
  workerLimit: number;
  /** The log level in the env file (default warn). */
  logLevel?: string;
}

/** The environment of a child: this one's without any SLUICE_* variable, so the env file decides. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("SLUICE_")));
  return { ...env, NO_COLOR: "1", ...extra };
}

export function finished(started: Started): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    if (started.child.exitCode !== null) resolve({ code: started.child.exitCode, output: started.output() });
    started.child.on("close", (code) => resolve({ code, output: started.output() }));
  });
}

/** SIGKILL to the process's whole group (a flow-run process has a group of its own). */
export function kill9(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid!, "SIGKILL");
  return exited;
}

function stop(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    }, 10_000).unref();
  });
}

export const alive = (started: Started | undefined): boolean =>
  started !== undefined && started.child.exitCode === null && started.child.signalCode === null;

/** Waits until `probe` answers something other than undefined; the error tells what the processes said. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  explain: () => string = () => "",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${explain()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `work` over `items`, `width` at a time, answering the results in order. */
export async function inParallel<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/** Starts the whole topology; `close` ends every process and drops the database. */
export async function startTopology(options: TopologyOptions) {
  const started: Started[] = [];
  const explain = () => started.map((s) => `--- ${s.name}:\n${s.output().slice(-2500)}`).join("\n");
  const dir = mkdtempSync(join(tmpdir(), "sluice-topology-"));
  mkdirSync(join(ROOT, ".sluice"), { recursive: true });
  const project = mkdtempSync(join(ROOT, ".sluice", "topology-"));
  cpSync(FIXTURE, project, { recursive: true });
  let database: ScratchDatabase | undefined;
  let redis: RedisProcess | undefined;
  let s3: S3TestServer | undefined;
  const servers: Started[] = [];
  const workers: Started[] = [];
  const close = async () => {
    await Promise.all([...workers, ...servers].map((p) => stop(p)));
    await redis?.stop();
    await s3?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  };
  try {
    [database, redis, s3] = await Promise.all([
      createScratchDatabase(options.adminUrl, "topology"),
      startRedisProcess(),
      startS3TestServer({ buckets: ["edm-recipes", "edm-publishing", "sluice-results"] }),
    ]);
    const ports = [await freePort(), await freePort()] as const;
    const urls = [`http://127.0.0.1:${ports[0]}`, `http://127.0.0.1:${ports[1]}`] as const;
    const apiKey = randomBytes(24).toString("hex");
    const envFile = join(dir, ".env");
    writeFileSync(
      envFile,
      [
        "# Sluice: one env file for every process (the format of .env.example).",
        "",
        "# PostgreSQL holds all state; Redis carries events between server replicas.",
        `SLUICE_DATABASE_URL=${database.url}`,
        `SLUICE_REDIS_URL=${redis.url}`,
        "",
        "# Where workers and flow-run processes reach the API: both replicas, the next one on failure.",
        `SLUICE_API_URL=${urls.join(",")}`,
        "",
        "# Block encryption key (32 bytes, base64); required with PostgreSQL.",
        `SLUICE_ENCRYPTION_KEY=${TEST_ENCRYPTION_KEY}`,
        "# Optional: set, every API request needs this key.",
        `SLUICE_API_KEY=${apiKey}`,
        "",
        `SLUICE_LOG_LEVEL=${options.logLevel ?? "warn"}`,
        "# The migrate job applies migrations; servers only check.",
        "SLUICE_MIGRATE_ON_START=false",
        "SLUICE_SERVER_HOST=127.0.0.1",
        `SLUICE_HOME=${join(dir, "home")}`,
        "# Flow results go to the S3 bucket named by this block.",
        "SLUICE_RESULT_STORAGE=s3-bucket/sluice-results",
        "# Short windows, so a lost worker's run is found in seconds.",
        "SLUICE_ZOMBIE_WINDOW_SECONDS=10",
        "SLUICE_HEARTBEAT_SECONDS=1",
        "",
      ].join("\n"),
    );

    /**
     * `node --env-file=FILE sluice ARGS` in its own process group (so -9 reaches the whole process),
     * from the built dist/ as in the images (`npm install` builds it): every flow-run process the
     * workers start then loads compiled JavaScript, not the source through tsx.
     */
    const startSluice = (name: string, args: string[], extra: Record<string, string> = {}): Started => {
      const child = spawn(process.execPath, [`--env-file=${envFile}`, BUILT_CLI, ...args], {
        cwd: ROOT,
        env: baseEnv(extra),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let output = "";
      child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
      const process_ = { name, child, output: () => output };
      started.push(process_);
      return process_;
    };
    const must = async (name: string, args: string[]) => {
      const { code, output } = await finished(startSluice(name, args));
      if (code !== 0) throw new Error(`sluice ${args.join(" ")} exited with ${code}:\n${output}`);
    };
    const viaA = createClient({ baseUrl: urls[0], apiKey, retries: 2 });
    const viaB = createClient({ baseUrl: urls[1], apiKey, retries: 2 });
    const clients = [viaA, viaB] as const;

    const healthy = (index: 0 | 1) =>
      waitFor(
        `server ${index === 0 ? "A" : "B"} to answer`,
        async () => {
          if (!alive(servers[index])) throw new Error(`server ${index} exited:\n${servers[index]?.output()}`);
          return (await clients[index].isHealthy()) ? true : undefined;
        },
        90_000,
        explain,
      );
    /** Starts (or starts again, on its port) server replica 0 (A) or 1 (B) and waits until it answers. */
    const startServerReplica = async (index: 0 | 1) => {
      servers[index] = startSluice(`server ${index === 0 ? "A" : "B"}`, ["server", "start"], {
        SLUICE_SERVER_PORT: String(ports[index]),
      });
      await healthy(index);
    };
    const startWorker = (index: 0 | 1) => {
      const name = `topology-w${index + 1}`;
      workers[index] = startSluice(name, [
        ...["worker", "start", "--pool", "default", "--name", name],
        ...["--limit", String(options.workerLimit)],
      ]);
    };
    const workersOnline = (count: number) =>
      waitFor(
        `${count} workers online`,
        async () => {
          const { items } = await viaB.call("listWorkers", { params: { pool: "default" } });
          const online = items.filter((w) => w.status === "ONLINE" && w.name.startsWith("topology-w"));
          return online.length >= count ? online : undefined;
        },
        90_000,
        explain,
      );

    await must("migrate", ["db", "upgrade"]);
    await Promise.all([startServerReplica(0), startServerReplica(1)]);
    // The buckets and where the pipeline and the results find them (as an operator sets them up).
    for (const bucket of ["edm-recipes", "edm-publishing", "sluice-results"]) {
      await viaA.call("saveBlock", {
        params: { type: "s3-bucket", name: bucket },
        body: { data: s3.blockData(bucket) },
      });
    }
    for (const [name, value] of [
      ["lifecycle_recipes_storage", "s3-bucket/edm-recipes"],
      ["lifecycle_publishing_storage", "s3-bucket/edm-publishing"],
    ] as const) {
      await viaA.call("setVariable", { params: { name }, body: { value } });
    }
    // The pool the workers serve and the deployments name (a fresh database has none).
    await viaA.call("createWorkPool", { body: { name: "default", type: "process" } });
    await must("deploy lifecycle", ["deploy", "--file", LIFECYCLE]);
    await must("deploy instant", ["deploy", "--file", join(project, "sluice.yaml")]);
    startWorker(0);
    startWorker(1);
    await workersOnline(2);
    return {
      dir,
      urls,
      apiKey,
      viaA,
      viaB,
      s3,
      redis,
      servers,
      workers,
      explain,
      startServerReplica,
      startWorker,
      workersOnline,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export type Topology = Awaited<ReturnType<typeof startTopology>>;
