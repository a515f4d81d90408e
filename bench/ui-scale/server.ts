/** A Sluice server in its own process (bench/server-process.ts) for the ui-scale benchmark. */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface BenchServer {
  readonly url: string;
  stop(): Promise<void>;
}

const ENCRYPTION_KEY = randomBytes(32).toString("base64");

/** Starts the server on `databaseUrl` (migrating it) and resolves once it listens. */
export function startBenchServer(root: string, databaseUrl: string, home: string): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    ["--conditions=@sluice/source", "--import", "tsx", join(root, "bench/server-process.ts")],
    {
      env: {
        ...process.env,
        SLUICE_DATABASE_URL: databaseUrl,
        SLUICE_HOME: home,
        SLUICE_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the benchmark server exited early with code ${code}`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      child.removeAllListeners("exit");
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** POSTs JSON and answers the parsed body; throws naming the path on a non-2xx answer. */
export async function postJson<T>(url: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
