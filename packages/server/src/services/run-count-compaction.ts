import { compactRunCounts } from "../run-counts/compact-run-counts.js";
import type { BackgroundService } from "./service-runner.js";

/**
 * Folds the run-count deltas that state writes append into the hourly counters the dashboard reads
 * (migration 0007). Counts are exact without it (readers add pending deltas); it keeps the deltas
 * table, and so each read, small.
 */
export const runCountCompactionService: BackgroundService = {
  name: "run-count-compaction",
  intervalMs: 5000,
  async run({ db }) {
    const report = await compactRunCounts(db.db);
    return report.folded > 0 ? { ...report } : undefined;
  },
};
