/**
 * End-to-end harness: the demo page built with Vite, served by the real
 * reference server on a free port, driven by Debian's Chromium through
 * playwright-core. Chromium missing is a failure on CI, a skip elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { createFlowpulseServer, type FlowpulseServer, type FlowpulseServerOptions } from 'flowpulse/server';

import { launchChromium } from '../browser/chromium';

export { browserTestsRun, launchChromium } from '../browser/chromium';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the demo page once into a temporary folder; returns it and its clean-up. */
export async function buildDemo(): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'flowpulse-demo-'));
  await build({
    configFile: join(root, 'demo/vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: dir, emptyOutDir: true, minify: false },
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The reference server with the sample workflows and the built demo page. */
export async function startDemoServer(
  staticDir: string,
  options: Partial<FlowpulseServerOptions> = {},
): Promise<{ server: FlowpulseServer; origin: string }> {
  const server = createFlowpulseServer({ port: 0, host: '127.0.0.1', workflowsDir: join(root, 'workflows'), staticDir, ...options });
  const { url } = await server.listen();
  return { server, origin: url.replace(/\/$/, '') };
}

/** What {@link demoInChromium} gives each test, once its `beforeAll` has run. */
export interface DemoInChromium {
  server: FlowpulseServer;
  /** The server's origin, without a trailing slash. */
  origin: string;
  browser: Browser;
}

/**
 * For a `describe`: the demo built, served by the real server, and a Chromium
 * to open it in, for all its tests; everything closed and removed after them.
 */
export function demoInChromium(): DemoInChromium {
  const env = {} as DemoInChromium;
  let demo: Awaited<ReturnType<typeof buildDemo>> | undefined;
  beforeAll(async () => {
    demo = await buildDemo();
    Object.assign(env, await startDemoServer(demo.dir));
    env.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
    demo?.remove();
  });
  return env;
}

/** A page that records page errors, so a test can assert there were none. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(url);
  return { page, problems };
}

/** Waits until the canvas shows the given workflow's nodes. */
export async function waitForCanvas(page: Page, nodeCount: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node .fp-node').length === n, nodeCount);
}

/** Counts nodes per status class. */
export function statusCounts(page: Page): Promise<Record<string, number>> {
  return page.$$eval('.fp-node', (nodes) => {
    const counts: Record<string, number> = {};
    for (const n of nodes) {
      const status = [...n.classList].find((c) => /^fp-node--(pending|running|completed|error)$/.test(c))?.slice(9) ?? 'none';
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  });
}
