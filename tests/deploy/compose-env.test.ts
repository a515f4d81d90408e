import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * docker-compose.yml takes every setting from .env through ${VAR}; .env.example is the documented
 * template of that file. These keep the three (and the deployment guide) in step. `.ci/run` also
 * validates the compose file itself with `docker-compose config`.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

const compose = read("docker-compose.yml");
const example = read(".env.example");
const guide = read("docs/deployment.md");

/** The variables compose interpolates (`$$NAME` is the container shell's, not compose's). */
function interpolated(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<!\$)\$(?:\{([A-Za-z_]\w*)[^}]*\}|([A-Za-z_]\w*))/g)) {
    names.add(match[1] ?? match[2] ?? "");
  }
  return names;
}

const exampleKeys = Object.keys(parseEnv(example));

describe(".env.example", () => {
  it("is plain KEY=value lines and # comments, each key once", () => {
    const lines = example.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9_]*=[^"'$\s]*$/);
    expect(new Set(exampleKeys).size).toBe(lines.length);
  });

  it("documents each variable: a comment above it, or above the group of lines it belongs to", () => {
    const lines = example.split("\n");
    const undocumented = lines.filter((line, i) => {
      if (!/^[A-Z]/.test(line)) return false;
      let above = i - 1;
      while (above >= 0 && /^[A-Z]/.test(lines[above] ?? "")) above--;
      return !lines[above]?.startsWith("#");
    });
    expect(undocumented).toEqual([]);
  });

  it("lists every variable docker-compose.yml interpolates, and nothing compose does not use", () => {
    const used = [...interpolated(compose)].sort();
    expect(used.filter((name) => !exampleKeys.includes(name))).toEqual([]);
    expect(exampleKeys.filter((name) => !used.includes(name))).toEqual([]);
  });

  it("lists every SLUICE_* setting the CLI knows (packages/cli/src/settings.ts), or compose fixes it", () => {
    const settings = [...read("packages/cli/src/settings.ts").matchAll(/name: "(SLUICE_\w+)"/g)].map(
      (m) => m[1] ?? "",
    );
    expect(settings.length).toBeGreaterThan(10);
    // Wiring (addresses, directories) is written into docker-compose.yml, never into .env.
    const fixedInCompose = [...compose.matchAll(/^\s+(SLUICE_\w+): (?!\$\{\1\})/gm)].map((m) => m[1] ?? "");
    expect(fixedInCompose).toEqual(expect.arrayContaining(["SLUICE_DATABASE_URL", "SLUICE_API_URL"]));
    expect(settings.filter((name) => !exampleKeys.includes(name) && !fixedInCompose.includes(name))).toEqual(
      [],
    );
  });

  it("holds no container address, so host commands reading .env never reach for one", () => {
    const values = Object.values(parseEnv(example)).map((value) => value ?? "");
    expect(values.filter((value) => /:\/\/|^(postgres|redis|minio|server)(:|$)/.test(value))).toEqual([]);
  });

  it("has every variable in the deployment guide's table", () => {
    const documented = new Set([...guide.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map((m) => m[1]));
    expect(exampleKeys.filter((name) => !documented.has(name))).toEqual([]);
  });
});

describe("the interpolation check", () => {
  it("finds ${VAR}, ${VAR:-default} and $VAR, and skips the container's $$VAR", () => {
    const names = interpolated('a: ${ONE}\nb: "${TWO:-x}"\nc: $THREE\nd: "$$FOUR"\n');
    expect([...names].sort()).toEqual(["ONE", "THREE", "TWO"]);
  });
});
