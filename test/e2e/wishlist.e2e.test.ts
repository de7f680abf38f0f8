// @vitest-environment node
/**
 * The wishlist flows end to end in real Chromium against the real server:
 * recovery on reload, pause/resume/cancel from the toolbar, and auth.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAuth, type FlowpulseServer } from 'flowpulse/server';
import { browserTestsRun, buildDemo, launchChromium, openPage, startDemoServer, statusCounts, waitForCanvas } from './harness';

type NodeRecord = { status: string };
type ExecutionRecord = { status: string; nodes: Record<string, NodeRecord> };

async function startRun(origin: string, workflowId: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${origin}/api/workflows/${workflowId}/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{"initial_inputs":{}}',
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { execution_id: string }).execution_id;
}

const record = async (origin: string, workflowId: string, executionId: string) =>
  (await (await fetch(`${origin}/api/workflows/${workflowId}/executions/${executionId}`)).json()) as ExecutionRecord;

/** Node id → status class, read from the canvas. */
const canvasStatuses = (page: Page) =>
  page.$$eval('.react-flow__node', (nodes) =>
    Object.fromEntries(
      nodes.map((n) => [
        n.getAttribute('data-id'),
        [...(n.querySelector('.fp-node')?.classList ?? [])].find((c) => /^fp-node--(pending|running|completed|error)$/.test(c))?.slice(9),
      ]),
    ),
  );

describe.skipIf(!browserTestsRun)('wishlist flows in real Chromium', () => {
  let demo: Awaited<ReturnType<typeof buildDemo>>;
  let browser: Browser;

  beforeAll(async () => {
    demo = await buildDemo();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    demo?.remove();
  });

  describe('open server', () => {
    let server: FlowpulseServer;
    let origin: string;
    beforeAll(async () => {
      ({ server, origin } = await startDemoServer(demo.dir));
    });
    afterAll(() => server?.close());

    it('a page loaded mid-run shows the current state at once, and again after a reload', async () => {
      const executionId = await startRun(origin, 'parallel-branches');
      await new Promise((r) => setTimeout(r, 1200));
      const { page, problems } = await openPage(browser, `${origin}/#wf=parallel-branches`);
      await waitForCanvas(page, 12);
      await page.waitForFunction(() => document.querySelectorAll('.fp-node--completed').length >= 2, undefined, { timeout: 3000 });

      await new Promise((r) => setTimeout(r, 700));
      await page.reload();
      await waitForCanvas(page, 12);
      // Right after the reload the canvas already agrees with the server's record of the run
      // (nodes only move forward, so everything the record has completed must show as completed).
      await page.waitForFunction(() => document.querySelectorAll('.fp-node--completed').length >= 3, undefined, { timeout: 3000 });
      const server = await record(origin, 'parallel-branches', executionId);
      await new Promise((r) => setTimeout(r, 150));
      const shown = await canvasStatuses(page);
      const completedOnServer = Object.entries(server.nodes)
        .filter(([, n]) => n.status === 'completed')
        .map(([id]) => id);
      expect(completedOnServer.length).toBeGreaterThanOrEqual(3);
      expect(completedOnServer.filter((id) => shown[id] !== 'completed')).toEqual([]);

      await page.waitForFunction(() => document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '100', undefined, {
        timeout: 15_000,
      });
      const final = await record(origin, 'parallel-branches', executionId);
      expect(final.status).toBe('completed');
      expect(await statusCounts(page)).toEqual({ completed: 12 });
      expect(problems).toEqual([]);
      await page.close();
    });

    it('pause holds the run, resume finishes it, cancel ends the next one with nothing left running', async () => {
      const { page, problems } = await openPage(browser, `${origin}/#wf=linear-pipeline`);
      await waitForCanvas(page, 5);
      const button = (name: string) => page.getByRole('button', { name, exact: true });
      await button('Run').click();
      await page.waitForSelector('.fp-node--running');
      await button('Pause').click();
      await page.waitForSelector('.fp-progress--paused');
      expect(await button('Resume').isEnabled()).toBe(true);
      expect(await button('Pause').isEnabled()).toBe(false);
      await page.waitForFunction(() => document.querySelectorAll('.fp-node--running').length === 0, undefined, { timeout: 5000 });
      const held = await statusCounts(page);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await statusCounts(page)).toEqual(held);
      expect(held.pending).toBeGreaterThan(0);

      await button('Resume').click();
      await page.waitForFunction(() => document.querySelectorAll('.fp-node--completed').length === 5, undefined, { timeout: 15_000 });

      await button('Run').click();
      await page.waitForSelector('.fp-node--running');
      await button('Cancel').click();
      await page.waitForSelector('.fp-progress--cancelled', { timeout: 5000 });
      const after = await statusCounts(page);
      expect(after.running ?? 0).toBe(0);
      expect(after.pending).toBeGreaterThan(0);
      expect(await button('Run').isEnabled()).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe('server started with a token', () => {
    let server: FlowpulseServer;
    let origin: string;
    beforeAll(async () => {
      ({ server, origin } = await startDemoServer(demo.dir, { auth: tokenAuth('s3cret') }));
    });
    afterAll(() => server?.close());

    it('without the token the page says so and no run state leaks', async () => {
      const { page } = await openPage(browser, `${origin}/#wf=linear-pipeline`);
      await page.waitForSelector('[role="alert"]');
      expect(await page.textContent('[role="alert"]')).toMatch(/401/);
      expect(await page.$$('.fp-node')).toHaveLength(0);
      await page.close();
    });

    it('with the token it watches and runs', async () => {
      const { page, problems } = await openPage(browser, `${origin}/?token=s3cret#wf=linear-pipeline`);
      await waitForCanvas(page, 5);
      await page.waitForFunction(() => document.body.textContent?.includes('Connected'));
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForFunction(() => document.querySelectorAll('.fp-node--completed').length === 5, undefined, { timeout: 15_000 });
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe('a reader who may not watch', () => {
    let server: FlowpulseServer;
    let origin: string;
    beforeAll(async () => {
      ({ server, origin } = await startDemoServer(demo.dir, {
        auth: {
          authenticate: (req) => (req.token === 'reader' ? { name: 'reader' } : null),
          authorize: (_user, _workflowId, action) => action === 'read',
        },
      }));
    });
    afterAll(() => server?.close());

    it('sees the graph, and an auth error instead of a retry loop on the socket', async () => {
      const { page } = await openPage(browser, `${origin}/?token=reader#wf=linear-pipeline`);
      await waitForCanvas(page, 5);
      await page.waitForFunction(() => /not allowed to watch/i.test(document.body.textContent ?? ''), undefined, { timeout: 5000 });
      expect(await page.locator('[role="alert"]').first().textContent()).toMatch(/not allowed/i);
      // It gave up for good: no spinner, no attempt counter climbing.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await page.textContent('body')).not.toMatch(/Reconnecting/);
      expect(server.manager.clientCount()).toBe(0);
      await page.close();
    });
  });
});
