import { spawn, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";

/** A `redis-server` process of a test's own, on a loopback port, keeping nothing on disk. */
export interface RedisProcess {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Ends the process (SIGKILL: Redis going away at once, as after a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill). */
  restart(): Promise<void>;
  /** Ends it for good. */
  stop(): Promise<void>;
}

/** Starts `redis-server` (from PATH) on `port` (default a free one) and waits until it accepts connections. */
export async function startRedisProcess(port?: number): Promise<RedisProcess> {
  const chosen = port ?? (await freeLoopbackPort());
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn(
      "redis-server",
      ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    started.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const failed = new Promise<never>((_resolve, reject) => {
      started.once("error", (error) => reject(new Error(`could not start redis-server: ${error.message}`)));
      started.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
    failed.catch(() => undefined);
    await Promise.race([acceptsConnections(chosen), failed]);
    child = started;
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    get pid() {
      return child?.pid;
    },
    kill,
    restart: launch,
    stop: kill,
  };
}

async function acceptsConnections(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server did not accept connections on port ${port}`);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
