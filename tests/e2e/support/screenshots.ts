import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "./cli-process.js";

/**
 * Saves a screenshot of the page as docs/screenshots/NAME.png when SLUICE_UPDATE_SCREENSHOTS=1
 * (`SLUICE_UPDATE_SCREENSHOTS=1 npx vitest run tests/e2e/...` refreshes them); otherwise does
 * nothing, so test runs leave the committed images alone. `fullPage` (default false) takes the
 * whole page rather than the 1366x768 viewport.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  if (process.env.SLUICE_UPDATE_SCREENSHOTS !== "1") return;
  const dir = join(ROOT, "docs", "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: options.fullPage ?? false });
}
