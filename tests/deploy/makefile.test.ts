import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { loadServerConfig, loadServiceConfig } from "@sluice/server";
import { describe, expect, it } from "vitest";

/**
 * The root Makefile, run for real but with COMPOSE replaced by `echo compose`, so no target ever
 * reaches Docker: the output shows the compose command a target would run. `.ci/run` installs make
 * and sets SLUICE_REQUIRE_MAKE, so in CI a missing make fails; elsewhere these are skipped, saying so.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const required = process.env.SLUICE_REQUIRE_MAKE === "1" || process.env.CI === "true";
const available = spawnSync("make", ["--version"]).status === 0;
if (!available && !required)
  console.warn("skipping the Makefile tests: make is missing (apt-get install -y make)");

function make(args: string[], input = "", cwd = ROOT) {
  const result = spawnSync("make", ["--no-print-directory", ...args, "COMPOSE=echo compose"], {
    cwd,
    input,
    encoding: "utf8",
  });
  return { status: result.status, out: result.stdout + result.stderr };
}

/** The targets the Makefile defines (lines `name: ...`), special targets and variables aside. */
const targets = [...readFileSync(join(ROOT, "Makefile"), "utf8").matchAll(/^([a-z][a-z-]*):(?!=)/gm)].map(
  (m) => m[1] ?? "",
);

describe.skipIf(!available && !required)("Makefile", () => {
  it("has the targets operators use", () => {
    const wanted = ["build", "up", "down", "clean", "restart", "status", "logs", "deploy", "run-etl"];
    wanted.push("check-db-health", "access-db", "exec-worker", "help");
    expect(targets).toEqual(expect.arrayContaining(wanted));
  });

  it("lists every target with a line of help, and does so when run with no target", () => {
    const help = make(["help"]);
    expect(help.status).toBe(0);
    for (const target of targets) expect(help.out).toMatch(new RegExp(`^  ${target} +\\S`, "m"));
    expect(make([]).out).toBe(help.out);
  });

  it("asks before clean deletes the volumes, and deletes nothing unless answered yes", () => {
    for (const answer of ["n\n", "", "maybe\n"]) {
      const declined = make(["clean"], answer);
      expect(declined.out).toContain("Continue? [y/N]");
      expect(declined.out).toContain("Cancelled: nothing deleted.");
      expect(declined.out).not.toContain("compose down");
      expect(declined.status).not.toBe(0);
    }
    const accepted = make(["clean"], "y\n");
    expect(accepted.out).toContain("compose down --volumes --remove-orphans");
    expect(accepted.status).toBe(0);
  });

  it("cleans without asking with FORCE=1", () => {
    const forced = make(["clean", "FORCE=1"]);
    expect(forced.out).not.toContain("Continue?");
    expect(forced.out).toContain("compose down --volumes --remove-orphans");
    expect(forced.status).toBe(0);
  });

  it("keeps the volumes on down, and runs deploy, run-etl and exec-worker in the worker", () => {
    expect(make(["down"]).out).toMatch(/^compose down$/m);
    expect(make(["-n", "deploy"]).out).toContain("exec -T worker sh /app/deploy/setup-lifecycle.sh");
    expect(make(["run-etl"]).out).toContain(
      "compose exec -T worker sluice deployment run build-lifecycle/bpl-libraries --watch",
    );
    expect(make(["exec-worker", "CMD=sluice flow-run ls"]).out).toContain(
      "compose exec worker sluice flow-run ls",
    );
  });

  it("refuses to build or start without a .env that sets SLUICE_ENCRYPTION_KEY", () => {
    // A copy of the Makefile in a scratch directory, so the checkout's own .env is never touched.
    const dir = mkdtempSync(join(tmpdir(), "sluice-make-"));
    copyFileSync(join(ROOT, "Makefile"), join(dir, "Makefile"));
    const missing = make(["up"], "", dir);
    expect(missing.out).toContain("No .env: run 'make env'");
    expect(missing.status).not.toBe(0);
    writeFileSync(join(dir, ".env"), readFileSync(join(ROOT, ".env.example")));
    const noKey = make(["build"], "", dir);
    expect(noKey.out).toContain(".env: set SLUICE_ENCRYPTION_KEY");
    expect(noKey.out).not.toContain("compose build");
    writeFileSync(join(dir, ".env"), `SLUICE_ENCRYPTION_KEY=${"ab".repeat(32)}\n`);
    const ready = make(["up"], "", dir);
    expect(ready.out).toContain("compose up -d --build");
    expect(ready.status).toBe(0);
  });

  it("writes a .env with fresh keys and passwords that the server accepts, and never overwrites it", () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-make-env-"));
    copyFileSync(join(ROOT, "Makefile"), join(dir, "Makefile"));
    copyFileSync(join(ROOT, ".env.example"), join(dir, ".env.example"));
    const wrote = make(["env"], "", dir);
    expect(wrote.status, wrote.out).toBe(0);
    const text = readFileSync(join(dir, ".env"), "utf8");
    const env = parseEnv(text) as Record<string, string>;
    expect(env.SLUICE_ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(env.SLUICE_API_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(env.POSTGRES_PASSWORD).toMatch(/^[0-9a-f]{32}$/);
    expect(env.MINIO_ROOT_PASSWORD).toMatch(/^[0-9a-f]{32}$/);
    // Every other line is the template's, comments included.
    expect(Object.keys(env)).toEqual(Object.keys(parseEnv(readFileSync(join(ROOT, ".env.example"), "utf8"))));
    const config = loadServerConfig({
      ...env,
      // What docker-compose.yml sets for the server beside .env.
      SLUICE_DATABASE_URL: `postgres://${env.POSTGRES_USER}:${env.POSTGRES_PASSWORD}@postgres:5432/${env.POSTGRES_DB}`,
      SLUICE_MIGRATE_ON_START: "false",
    });
    expect(config.encryptionKey).toBeDefined();
    expect(config.apiKey).toBe(env.SLUICE_API_KEY);
    expect(config.migrateOnStart).toBe(false);
    expect(loadServiceConfig(env).enabled).toBe(true);
    const again = make(["env"], "", dir);
    expect(again.out).toContain(".env exists; left as it is.");
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe(text);
    // A second template written from scratch gets other secrets.
    const other = mkdtempSync(join(tmpdir(), "sluice-make-env-"));
    copyFileSync(join(ROOT, "Makefile"), join(other, "Makefile"));
    copyFileSync(join(ROOT, ".env.example"), join(other, ".env.example"));
    make(["env"], "", other);
    expect(parseEnv(readFileSync(join(other, ".env"), "utf8")).SLUICE_ENCRYPTION_KEY).not.toBe(
      env.SLUICE_ENCRYPTION_KEY,
    );
  });
});
