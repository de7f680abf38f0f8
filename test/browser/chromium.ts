/**
 * Debian's Chromium driven by playwright-core (`npx playwright install`
 * cannot download a browser here). On CI a missing browser must fail the
 * run, never skip it; elsewhere the browser tests skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium-flags.mjs';

export { CHROMIUM };
export const browserTestsRun = existsSync(CHROMIUM) || Boolean(process.env.CI);

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
