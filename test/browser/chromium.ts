/**
 * Debian's Chromium driven by playwright-core (`npx playwright install`
 * cannot download a browser here). On CI a missing browser must fail the
 * run, never skip it; elsewhere the browser tests skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserTestsRun = existsSync(CHROMIUM) || Boolean(process.env.CI);

/** Without the background-networking flags Chromium keeps dialling out of this closed network. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
}
