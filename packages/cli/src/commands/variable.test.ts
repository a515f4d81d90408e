import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "@sluice/server";
import { runCli } from "../testing/run-cli.js";
import { parseVariableValue } from "./variable.js";

// One real server for the file; the real CLI runs against it in subprocesses.
let server: Awaited<ReturnType<typeof startTestServer>>;
let env: Record<string, string>;
const name = `cli_var_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await startTestServer();
  env = { SLUICE_API_URL: server.url };
});
afterAll(() => server.close());

describe("parseVariableValue", () => {
  it("reads JSON when the text is JSON, else keeps the text", () => {
    expect(parseVariableValue("42")).toBe(42);
    expect(parseVariableValue('{"a":[1]}')).toEqual({ a: [1] });
    expect(parseVariableValue("us-east-1")).toBe("us-east-1");
    expect(parseVariableValue('"42"')).toBe("42");
  });
});

describe("sluice variable", () => {
  it("sets, gets, lists and unsets a variable; refuses a bad name naming it", async () => {
    const set = await runCli(["variable", "set", name, '{"limit":5}', "--tag", "etl"], env);
    expect(set.code, set.stderr).toBe(0);
    const got = await runCli(["variable", "get", name], env);
    expect(got.stdout.trim()).toBe('{"limit":5}');
    const listed = await runCli(["variable", "ls", "--name", name, "--json"], env);
    const items = JSON.parse(listed.stdout) as { name: string; tags: string[] }[];
    expect(items).toEqual([expect.objectContaining({ name, tags: ["etl"] })]);
    const unset = await runCli(["variable", "unset", name], env);
    expect(unset.code, unset.stderr).toBe(0);
    const missing = await runCli(["variable", "get", name], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`no variable named "${name}"`);
    expect((await runCli(["variable", "unset", name, "--missing-ok"], env)).code).toBe(0);
    const bad = await runCli(["variable", "set", "Bad-Name", "1"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/params\.name|lowercase/);
  }, 60_000);
});
