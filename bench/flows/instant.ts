// The benchmarks' deployment flow: returns at once. BENCH_MARK_FILE, when set, receives the
// monotonic time at which user code began (to measure dispatch to the first line of user code).
import { appendFileSync } from "node:fs";
import { flow } from "@sluice/sdk";

export const instant = flow({ name: "bench-instant" }, () => {
  const markFile = process.env.BENCH_MARK_FILE;
  if (markFile) appendFileSync(markFile, `${Number(process.hrtime.bigint()) / 1e6}\n`);
  return null;
});
