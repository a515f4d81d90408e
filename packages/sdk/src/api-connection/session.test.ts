import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("../testing/fixtures/server-gone-flow.ts", import.meta.url));

describe("a session at process exit", () => {
  it("reports queued items it cannot send and exits non-zero instead of retrying forever", async () => {
    const child = spawn(process.execPath, ["--conditions=@sluice/source", "--import", "tsx", fixture], {
      env: { ...process.env, SLUICE_API_URL: "", SLUICE_HOME: mkdtempSync(join(tmpdir(), "sluice-gone-")) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(stdout).toContain("flow finished, server closed");
    expect(stderr).toMatch(/queued item\(s\) could not be sent before exit/);
    expect(code).toBe(1);
  }, 90_000);
});
