// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { browserTestsRun, demoInChromium, openPage, statusCounts, waitForCanvas } from './harness';

describe.skipIf(!browserTestsRun)('the demo in real Chromium against the real server', () => {
  const demo = demoInChromium();

  it('runs the linear pipeline to completion: every node green, progress 100', async () => {
    const { page, problems } = await openPage(demo.browser, `${demo.origin}/#wf=linear-pipeline`);
    await waitForCanvas(page, 5);
    expect(await statusCounts(page)).toEqual({ pending: 5 });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForSelector('.fp-node--running');
    expect(await page.$eval('.fp-node--running', (el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 204, 0)');
    await page.waitForFunction(() => document.querySelectorAll('.fp-node--completed').length === 5, undefined, { timeout: 20_000 });
    expect(await statusCounts(page)).toEqual({ completed: 5 });
    await page.waitForFunction(() => document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '100');
    expect(await page.$eval('.fp-node--completed', (el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 255, 0)');
    await expect(page.getByText('completed in', { exact: false }).first().isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('in Simplified Chinese: the toolbar, statuses and progress speak it, the page says its language, and switching keeps the graph', async () => {
    const { page, problems } = await openPage(demo.browser, `${demo.origin}/#wf=linear-pipeline`);
    await waitForCanvas(page, 5);
    const firstNode = await page.$('.react-flow__node');
    await page.getByTestId('language-select').selectOption('zh');
    await page.getByRole('button', { name: '运行', exact: true }).waitFor();
    // Set by an effect, after the words are painted.
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && location.hash === '#wf=linear-pipeline&lang=zh');
    // The same graph, not a new one: the node elements stay.
    expect(await firstNode!.evaluate((el) => el.isConnected)).toBe(true);
    // Pending, or completed by a run before this test: in Chinese either way.
    expect(['等待中', '已完成']).toContain(await page.locator('.fp-badge__text').first().textContent());
    await page.getByRole('button', { name: '运行', exact: true }).click();
    // This run, not the one an earlier test left completed: it starts first.
    await page.waitForSelector('.fp-node--running');
    await expect(page.locator('.fp-node--running .fp-badge__text').first().textContent()).resolves.toBe('运行中');
    await page.waitForFunction(() => document.querySelectorAll('.fp-node--completed').length === 5, undefined, { timeout: 20_000 });
    await expect(page.locator('.fp-badge__text').first().textContent()).resolves.toBe('已完成');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs the failing workflow: the node turns red, the error is shown, later nodes stay pending', async () => {
    const { page, problems } = await openPage(demo.browser, `${demo.origin}/#wf=failing-run`);
    await waitForCanvas(page, 6);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForSelector('.fp-node--error', { timeout: 20_000 });
    await page.waitForFunction(() => document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '100');
    const failed = await page.$eval('.fp-node--error', (el) => ({ text: el.textContent, bg: getComputedStyle(el).backgroundColor }));
    expect(failed.bg).toBe('rgb(255, 0, 0)');
    await expect(page.locator('.fp-errors').getByText('Payment API returned 503').first().isVisible()).resolves.toBe(true);
    const counts = await statusCounts(page);
    expect(counts.error).toBe(1);
    expect(counts.pending).toBeGreaterThan(0);
    expect(counts.running ?? 0).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('on a short window (a page zoomed to 200 %) the page scrolls rather than squeezing the graph, whatever panels appear; the toolbar is in the main landmark', async () => {
    const { page, problems } = await openPage(demo.browser, `${demo.origin}/#wf=failing-run`);
    const graphHeight = () => page.$eval('.fp-canvas__flow', (el) => el.getBoundingClientRect().height);
    const failedRun = async () => {
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForSelector('.fp-node--running');
      await page.waitForSelector('.fp-progress--failed', { timeout: 20_000 });
    };
    // Narrow: no server strip (the page opened wide, with it), the error banner in.
    await page.setViewportSize({ width: 640, height: 400 });
    await waitForCanvas(page, 6);
    await failedRun();
    await page.waitForTimeout(400); // the view refitted
    expect(await graphHeight()).toBeGreaterThanOrEqual(280);
    expect(await page.locator('.fp-metrics').count()).toBe(0);
    expect(await page.locator('main').getByRole('toolbar').count()).toBe(1);
    // Wide but short: the server strip comes with the run, and still takes no room from the graph.
    await page.setViewportSize({ width: 1000, height: 400 });
    await failedRun();
    await page.waitForSelector('.fp-metrics');
    await page.waitForTimeout(400);
    expect(await graphHeight()).toBeGreaterThanOrEqual(280);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps the whole graph in view as panels appear and the window shrinks, until the user zooms', async () => {
    const { page, problems } = await openPage(demo.browser, `${demo.origin}/#wf=parallel-branches`);
    await waitForCanvas(page, 12);
    // Every node's box inside the graph region, within a pixel.
    const allInView = () =>
      page.evaluate(() => {
        const pane = document.querySelector('.fp-canvas__flow')!.getBoundingClientRect();
        return Array.from(document.querySelectorAll('.react-flow__node')).every((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= pane.top - 1 && r.bottom <= pane.bottom + 1 && r.left >= pane.left - 1 && r.right <= pane.right + 1;
        });
      });
    const viewport = () => page.$eval('.react-flow__viewport', (el) => (el as HTMLElement).style.transform);
    await page.waitForFunction(() => document.querySelector('.react-flow__viewport')?.getAttribute('style')?.includes('scale'));
    await expect.poll(allInView).toBe(true);

    // The metrics strip appears with the run and takes height from the graph.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForSelector('.fp-metrics');
    await expect.poll(allInView).toBe(true);
    // A plain click on the empty pane (it clears the selection) is not a move: fitting goes on.
    const pane = (await page.$('.react-flow__pane'))!;
    const box = (await pane.boundingBox())!;
    await page.mouse.click(box.x + 8, box.y + box.height - 8);
    await page.setViewportSize({ width: 1000, height: 560 });
    await expect.poll(allInView).toBe(true);

    // Once the user zooms, with the wheel or the zoom buttons, their view is theirs: a resize no longer refits.
    for (const zoom of [
      () => page.click('.react-flow__controls-zoomin'),
      async () => {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
        await page.mouse.wheel(0, -400);
      },
    ]) {
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.reload();
      await waitForCanvas(page, 12);
      await expect.poll(allInView).toBe(true);
      const fitted = await viewport();
      await zoom();
      await expect.poll(viewport).not.toBe(fitted);
      const zoomed = await viewport();
      await page.setViewportSize({ width: 1100, height: 640 });
      await page.waitForTimeout(300);
      expect(await viewport()).toBe(zoomed);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens one socket per workflow switch: none for the new workflow before its graph is there', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const opened: string[] = ((window as unknown as { opened: string[] }).opened = []);
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          opened.push(String(url));
        }
      } as typeof WebSocket;
    });
    await page.goto(`${demo.origin}/#wf=linear-pipeline`);
    await waitForCanvas(page, 5);
    await page.waitForSelector('.fp-connection--open');
    const opened = () => page.evaluate(() => (window as unknown as { opened: string[] }).opened.map((u) => new URL(u).pathname));
    expect(await opened()).toEqual(['/api/ws/workflow/linear-pipeline']);
    await page.selectOption('[data-testid="workflow-select"]', 'failing-run');
    await waitForCanvas(page, 6);
    await page.waitForSelector('.fp-connection--open');
    expect(await opened()).toEqual(['/api/ws/workflow/linear-pipeline', '/api/ws/workflow/failing-run']);
    await page.close();
  });

  it('a late answer for a workflow switched away from does not blank the canvas', async () => {
    const { page, problems } = await openPage(demo.browser, `${demo.origin}/#wf=failing-run`);
    await waitForCanvas(page, 6);
    await page.route('**/api/workflows/linear-pipeline', async (route) => {
      await new Promise((r) => setTimeout(r, 1200));
      await route.continue();
    });
    await page.selectOption('[data-testid="workflow-select"]', 'linear-pipeline');
    await page.selectOption('[data-testid="workflow-select"]', 'parallel-branches');
    await waitForCanvas(page, 12);
    await page.waitForTimeout(1800); // the slow answer for linear-pipeline has come by now
    expect(await page.locator('.react-flow__node .fp-node').count()).toBe(12);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('switches workflows from the picker, quickly too, with no error in the console', async () => {
    const { page } = await openPage(demo.browser, `${demo.origin}/`);
    const console: string[] = [];
    // Chromium warns (a warning, not an error) when a socket still connecting is closed: switching away from a
    // workflow whose graph just arrived can do that, and is expected. A switch at a slower pace opens one socket.
    page.on('console', (m) => m.type() === 'error' && console.push(m.text()));
    await page.waitForSelector('[data-testid="workflow-select"] option', { state: 'attached' });
    await page.selectOption('[data-testid="workflow-select"]', 'parallel-branches');
    await page.selectOption('[data-testid="workflow-select"]', 'failing-run');
    await page.selectOption('[data-testid="workflow-select"]', 'parallel-branches');
    await waitForCanvas(page, 12);
    expect(page.url()).toContain('#wf=parallel-branches');
    await page.waitForSelector('.fp-connection--open');
    await new Promise((r) => setTimeout(r, 300));
    expect(console).toEqual([]);
    await page.close();
  });
});
