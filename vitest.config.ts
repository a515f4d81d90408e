import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that take minutes (the 500-run production topology on PostgreSQL). Vitest orders a run
 * without its cache (a fresh clone, as in CI) by file size, which could start these last and leave
 * them running alone at the end: started first, they overlap everything else.
 */
const LONG_FILES = ["tests/e2e/production-topology.test.ts"];

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isLong = (file: TestSpecification) => LONG_FILES.some((long) => file.moduleId.endsWith(long));
    return [...sorted.filter(isLong), ...sorted.filter((file) => !isLong(file))];
  }
}

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
    sequence: { sequencer: LongFilesFirst },
    reporters: ["default", "json"],
    outputFile: { json: ".sluice/test-results.json" },
  },
});
