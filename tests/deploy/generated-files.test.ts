import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Generated files and settings stay out of the repository and out of the images' build context. */
const ROOT = join(import.meta.dirname, "..", "..");
const GENERATED = /(^|\/)(node_modules|dist|\.sluice|coverage)\/|\.tsbuildinfo$|(^|\/)\.env$/;

function lines(file: string): string[] {
  return readFileSync(join(ROOT, file), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

describe("generated files", () => {
  it("are ignored by git and left out of the Docker build context", () => {
    expect(lines(".gitignore")).toEqual(
      expect.arrayContaining(["node_modules/", "dist/", ".sluice/", ".env"]),
    );
    expect(lines(".dockerignore")).toEqual(
      expect.arrayContaining(["**/node_modules", "**/dist", ".sluice", ".env", ".git"]),
    );
  });

  it("are not in the repository", () => {
    const listed = spawnSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" });
    expect(listed.status, listed.stderr).toBe(0);
    const tracked = listed.stdout.split("\n").filter((path) => GENERATED.test(path));
    expect(tracked).toEqual([]);
    expect(listed.stdout).toContain(".env.example");
  });
});
