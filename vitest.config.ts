import { defineConfig } from "vitest/config";

// One config for the whole workspace: packages resolve each other through the
// "@sluice/source" export condition, so tests run against source, never stale builds.
export default defineConfig({
  resolve: { conditions: ["@sluice/source"] },
  ssr: { resolve: { conditions: ["@sluice/source"] } },
  test: {
    // UI tests (.tsx) pick the happy-dom environment per file (`@vitest-environment happy-dom`);
    // everything else runs in node.
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/ui/src/**/*.test.tsx",
      "tests/**/*.test.ts",
      "examples/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2 cores: PGlite instances and subprocesses are heavy, keep parallelism modest.
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: ".sluice/test-results.json" },
  },
});
