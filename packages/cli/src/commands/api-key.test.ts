import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "@sluice/server";
import { runCli } from "../testing/run-cli.js";

// A database of its own on PostgreSQL: once a key exists, every server on that database wants one.
let server: Awaited<ReturnType<typeof startTestServer>>;
let url: string;
const as = (key?: string) => ({ SLUICE_API_URL: url, ...(key ? { SLUICE_API_KEY: key } : {}) });

beforeAll(async () => {
  server = await startTestServer({ ownDatabase: true });
  url = server.url;
});
afterAll(() => server.close());

describe("sluice api-key", () => {
  it("creates keys (shown once), lists them, revokes them, and explains 401 and 403", async () => {
    expect((await runCli(["api-key", "ls"], as())).stdout).toMatch(/No API keys/);
    const first = await runCli(["api-key", "create", "ci-admin", "--scope", "admin"], as());
    expect(first.code, first.stderr).toBe(0);
    const admin = first.stdout.trim();
    expect(admin).toMatch(/^sluice_\S{43}$/);
    expect(first.stderr).toMatch(/shown only this once/);
    expect(first.stderr).toMatch(/first API key, so authentication is now on/);

    const refused = await runCli(["api-key", "ls"], as());
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      "Error: the server needs an API key: set SLUICE_API_KEY (unauthorized)",
    );
    const wrong = await runCli(["variable", "ls"], as("sluice_not-a-real-key-at-all"));
    expect(wrong.stderr).toMatch(/refused the API key in SLUICE_API_KEY: it is wrong, expired or revoked/);
    expect(wrong.stderr).not.toContain("not-a-real-key");

    const second = await runCli(
      ["api-key", "create", "reader", "--scope", "read", "--expires-in-days", "30", "--json"],
      as(admin),
    );
    expect(second.code, second.stderr).toBe(0);
    const reader = JSON.parse(second.stdout) as { key: string; scope: string; expiresAt: string };
    expect(reader).toMatchObject({ scope: "read", key: expect.stringMatching(/^sluice_/) as string });
    expect(second.stderr).not.toMatch(/authentication is now on/);

    const forbidden = await runCli(["api-key", "ls"], as(reader.key));
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr.trim()).toBe(
      "Error: this needs the admin scope; the API key has the read scope (forbidden)",
    );
    expect((await runCli(["variable", "ls"], as(reader.key))).code).toBe(0);

    const listed = await runCli(["api-key", "ls", "--json"], as(admin));
    const items = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(items.map((k) => [k.name, k.scope])).toEqual([
      ["ci-admin", "admin"],
      ["reader", "read"],
    ]);
    expect(listed.stdout).not.toContain(reader.key);
    const table = await runCli(["api-key", "ls"], as(admin));
    expect(table.stdout).toMatch(/reader\s+read\s+sluice_\S{8}\.\.\./);

    const revoked = await runCli(["api-key", "delete", "reader"], as(admin));
    expect(revoked.stdout.trim()).toBe("Revoked API key reader");
    expect((await runCli(["variable", "ls"], as(reader.key))).stderr).toMatch(/refused the API key/);
    const missing = await runCli(["api-key", "delete", "reader"], as(admin));
    expect(missing.stderr).toMatch(/no API key named or with id "reader"/);
  }, 120_000);

  it("refuses a bad scope or lifetime before calling the server", async () => {
    const scope = await runCli(["api-key", "create", "x", "--scope", "root"], as());
    expect(scope.code).toBe(2);
    expect(scope.stderr).toMatch(/invalid --scope "root": expected read, write or admin/);
    const days = await runCli(["api-key", "create", "x", "--scope", "read", "--expires-in-days", "0"], as());
    expect(days.stderr).toMatch(/invalid --expires-in-days "0"/);
  }, 60_000);
});
