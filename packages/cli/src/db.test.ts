import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "@sluice/server";
import { runCli, type CliResult } from "./testing/run-cli.js";

const home = mkdtempSync(join(tmpdir(), "sluice-cli-db-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const MIGRATIONS = readdirSync(join(import.meta.dirname, "../../server/src/db/migrations"))
  .filter((name) => name.endsWith(".sql"))
  .map((name) => name.replace(/\.sql$/, ""))
  .sort();

/**
 * Two upgrades at once: both succeed, and between them each migration is applied exactly once. Each
 * migration takes the lock on its own, so the two may share the work (one need not find nothing to do).
 */
function expectOneAppliedEverything(results: CliResult[]): void {
  for (const r of results) expect(r.code, r.stderr).toBe(0);
  const applied = results.flatMap((r) => [...r.stdout.matchAll(/^ {2}(\S+)$/gm)].map((m) => m[1] ?? ""));
  expect(applied.sort()).toEqual(MIGRATIONS);
}

describe("sluice db", () => {
  it("upgrade run twice at once on PGlite applies each migration once", async () => {
    const env = { SLUICE_HOME: home };
    expectOneAppliedEverything(
      await Promise.all([runCli(["db", "upgrade"], env), runCli(["db", "upgrade"], env)]),
    );
  }, 120_000);

  it("reset refuses without --yes", async () => {
    const result = await runCli(["db", "reset"], { SLUICE_HOME: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("refusing without --yes");
  });

  const adminUrl = process.env.SLUICE_TEST_DATABASE_URL;
  it.skipIf(!adminUrl)(
    "upgrade run twice at once on PostgreSQL applies each migration once",
    async () => {
      const scratch = await createScratchDatabase(adminUrl!, "cli");
      try {
        const env = { SLUICE_DATABASE_URL: scratch.url, SLUICE_HOME: home };
        expectOneAppliedEverything(
          await Promise.all([runCli(["db", "upgrade"], env), runCli(["db", "upgrade"], env)]),
        );
      } finally {
        await scratch.drop();
      }
    },
    60_000,
  );
});
