import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium, which `.ci/run` installs. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether the browser tests of a file run here. `.ci/run` installs chromium and sets
 * SLUICE_REQUIRE_BROWSER, so in CI a missing browser fails the tests (at launch); elsewhere they are
 * skipped with a message saying how to install it.
 */
export function browserTestsRun(what: string): boolean {
  const required = process.env.SLUICE_REQUIRE_BROWSER === "1" || process.env.CI === "true";
  const available = existsSync(CHROMIUM);
  if (!available && !required) {
    console.warn(`skipping ${what}: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  }
  return available || required;
}

/** Launches headless chromium (no sandbox: CI runs as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}
