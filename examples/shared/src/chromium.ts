// Headless Chromium for the examples' browser tests (playwright-core, the system's Chromium).
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Chromium is: `CHROMIUM_PATH`, or the distribution's `/usr/bin/chromium`. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether Chromium is installed at {@link chromiumPath}. */
export const hasChromium = existsSync(chromiumPath);

/**
 * The `skip` of a browser suite: a message when Chromium is missing, `false` when it is there —
 * and `false` in CI whatever, so that a missing Chromium fails there instead of skipping.
 *
 * @example
 * describe('in a browser', { skip: chromiumSkip() }, () => {});
 */
export function chromiumSkip(): string | false {
  return hasChromium || process.env.CI ? false : `Chromium not found at ${chromiumPath}: skipped`;
}

/**
 * Launches headless Chromium with the quiet flags every browser test uses.
 *
 * @example
 * const browser = await launchChromium();
 * await browser.close();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
