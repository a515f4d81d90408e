import { createInterface } from "node:readline/promises";
import { UsageError } from "./errors.js";

/**
 * Asks a yes/no question on a TTY; without a TTY it refuses, naming the flag that skips the question.
 * Returns true only for an answer starting with "y".
 */
export async function confirm(question: string, skipFlag = "--yes"): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(
      `${question.replace(/\?$/, "")}: refusing without confirmation; pass ${skipFlag} to proceed`,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
