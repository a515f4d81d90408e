// The crash benchmark's flow: the first attempt writes its pid and waits to be killed; a later
// attempt (the retry after the crash) finds the marker and returns at once.
import { existsSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { flow } from "@sluice/sdk";

export const sleepy = flow(
  { name: "bench-sleepy", parameters: z.object({ pidFile: z.string(), marker: z.string() }) },
  async ({ pidFile, marker }) => {
    if (existsSync(marker)) return "recovered";
    writeFileSync(marker, String(process.pid));
    writeFileSync(pidFile, String(process.pid));
    await new Promise((resolve) => setTimeout(resolve, 300_000));
    return "slept";
  },
);
