// @vitest-environment node
/**
 * Accessibility of the demo in real Chromium against the real server:
 * axe-core finds no serious or critical violation in any state a user meets
 * (idle, running, failed with the error banner, a node's details, logs
 * filtered to a node, reduced motion), light or dark; text on the canvas that
 * axe cannot judge (under React Flow's transformed layers) is measured here;
 * keyboard reach, the dialog's focus trap and return, screen-reader text,
 * motion that stops, and rings that stay visible in forced colours.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createErrorMessage } from 'flowpulse/protocol';
import { browserTestsRun, demoInChromium, openPage, waitForCanvas } from './harness';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
type Axe = typeof import('axe-core');

/**
 * What is wrong on the page now, one line each: axe's serious and critical
 * violations, and text axe left undecided because something overlaps it (React
 * Flow's layers over every node, the dot pattern under the attribution) that
 * reads below 4.5:1 (3:1 when large) on its backgrounds composited here.
 */
async function problemsNow(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: Axe }).axe;
    const { violations, incomplete } = await axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const lines = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 60)}`).join(', ')}`);

    const rgba = (c: string) => {
      const [r = 0, g = 0, b = 0, a = 1] = (c.match(/[\d.]+/g) ?? []).map(Number);
      return [r, g, b, a] as const;
    };
    const over = (top: readonly number[], below: readonly number[]) =>
      [0, 1, 2].map((i) => top[i]! * top[3]! + below[i]! * (1 - top[3]!)).concat(1);
    const luminance = (c: readonly number[]) =>
      [0.2126, 0.7152, 0.0722].reduce((sum, k, i) => {
        const v = c[i]! / 255;
        return sum + k * (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      }, 0);
    for (const node of incomplete.find((r) => r.id === 'color-contrast')?.nodes ?? []) {
      // A running node's pulse (a pseudo-element) is measured frame by frame in canvas.browser.test.ts.
      const why = (node.any[0]?.data as { messageKey?: string } | undefined)?.messageKey;
      if (why !== 'bgOverlap' && why !== 'imgNode') continue;
      const el = document.querySelector(String(node.target[0]));
      if (!el) continue;
      const layers: (readonly number[])[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const bg = rgba(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      const bg = layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
      const style = getComputedStyle(el);
      const [a, b] = [luminance(over(rgba(style.color), bg)), luminance(bg)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5))
        lines.push(`color-contrast (measured here): ${node.target.join(' ')} "${el.textContent?.trim()}" ${ratio.toFixed(2)}:1`);
    }
    return lines;
  });
}

/** {@link problemsNow} in the light and the dark theme (the demo follows the system's), each line marked with its theme. */
async function problemsLightAndDark(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.waitForFunction(
      (dark) => document.querySelector('.fp-canvas')?.classList.contains('fp-dark') === dark,
      colorScheme === 'dark',
    );
    found.push(...(await problemsNow(page)).map((line) => `${colorScheme}: ${line}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/** The focused element as Chromium's accessibility tree (what a screen reader reads) has it: role and name; `page` once focus left the page's controls. */
async function focused(page: Page): Promise<string> {
  if (!sessions.has(page)) sessions.set(page, page.context().newCDPSession(page));
  const cdp = await sessions.get(page)!;
  const { result } = await cdp.send('Runtime.evaluate', {
    expression: 'document.activeElement === document.body ? null : document.activeElement',
  });
  if (!result.objectId) return 'page';
  const [node] = (await cdp.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false })).nodes;
  if (!node) return 'page';
  return `${node.role?.value} ${node.name?.value}`;
}

/**
 * A matcher for a {@link focused} line, as a listener hears it, letter case included (badges look
 * capitalised, but "COMPLETED" must not reach the name), with or without the space Chromium puts
 * before a colon that follows an inline-flex badge.
 */
const reads = (line: string) =>
  expect.stringMatching(new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/: /g, ' ?: ')}$`));

/** Runs the failing workflow from the toolbar and waits until it has failed (a page may open on the last run's end). */
async function failedRun(page: Page): Promise<void> {
  await page.waitForSelector('.fp-connection--open');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForSelector('.fp-node--running');
  await page.waitForSelector('.fp-progress--failed', { timeout: 20_000 });
}

/** A screenshot of the element's box and `pad` pixels around it. */
async function shot(page: Page, selector: string, pad = 0): Promise<Buffer> {
  const box = (await page.locator(selector).boundingBox())!;
  return page.screenshot({ clip: { x: box.x - pad, y: box.y - pad, width: box.width + 2 * pad, height: box.height + 2 * pad } });
}

describe.skipIf(!browserTestsRun)('accessibility of the demo in real Chromium', () => {
  const demo = demoInChromium();

  it('idle, running and failed with the error banner: no serious axe violation, light or dark; every status and the progress in words', async () => {
    const { page, problems } = await openPage(demo.browser, `${demo.origin}/#wf=failing-run`);
    await waitForCanvas(page, 6);
    await page.waitForSelector('.fp-connection--open');
    expect(await problemsLightAndDark(page)).toEqual([]);
    // The connection indicator says its state in words, in a status region.
    await expect(page.getByRole('status').filter({ hasText: 'Connected' }).count()).resolves.toBe(1);

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForSelector('.fp-node--running');
    // The node running now is named with its status, and the progress bar says which node runs, in one moment.
    const now = await page.evaluate(() => {
      const node = document.querySelector('.fp-node--running')!.closest('.react-flow__node')!;
      const name = node
        .getAttribute('aria-labelledby')!
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' ');
      const bar = document.querySelector('[role="progressbar"]')!;
      return { name, current: node.querySelector('[aria-current="step"]') !== null, value: bar.getAttribute('aria-valuetext') };
    });
    expect(now.name).toMatch(/ Running$/);
    expect(now.current).toBe(true);
    expect(now.value).toMatch(/^\d+ percent, .*running [A-Z]/);
    expect(await problemsLightAndDark(page)).toEqual([]);

    await page.waitForSelector('.fp-progress--failed', { timeout: 20_000 });
    await page.waitForSelector('.fp-errors');
    expect(await problemsLightAndDark(page)).toEqual([]);
    for (const name of [
      'Receive order Completed',
      'Reserve stock Completed',
      'Charge card Error',
      'Create shipment Pending',
      'Notify customer Pending',
      'Close order Pending',
    ]) {
      await expect(page.getByRole('group', { name, exact: true }).count()).resolves.toBe(1);
    }
    const bar = page.getByRole('progressbar', { name: 'Workflow progress' });
    expect(await bar.evaluate((el) => ['aria-valuemin', 'aria-valuemax', 'aria-valuenow'].map((a) => el.getAttribute(a)))).toEqual([
      '0',
      '100',
      '100',
    ]);
    await expect(page.locator('[aria-live="polite"]').getByText('Run failed after 2 of 6 steps').count()).resolves.toBe(1);
    await expect(
      page.locator('[aria-live="assertive"]').getByText('1 error in this run. Latest: Payment API returned 503').count(),
    ).resolves.toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the layout code failing to load (a deploy that removed its chunk): an alert without violations; Try again, from the keyboard, draws the graph and leaves focus on it', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 860 } });
    let blocked = true;
    await page.route('**/dagreLayout-*.js', (route) => (blocked ? route.abort('failed') : route.continue()));
    await page.goto(`${demo.origin}/#wf=failing-run`);
    const alert = page.getByRole('alert').filter({ hasText: 'The graph could not be laid out' });
    await alert.waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(0);
    expect(await problemsNow(page)).toEqual([]);

    blocked = false;
    await alert.getByRole('button', { name: 'Try again' }).focus();
    await page.keyboard.press('Enter');
    await waitForCanvas(page, 6);
    await expect(alert.count()).resolves.toBe(0);
    // Focus is on the graph region it drew in, not dropped to the page.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('fp-canvas__flow'))).toBe(true);
    expect(await problemsNow(page)).toEqual([]);
    await page.close();
  });

  it('from the keyboard: Tab reaches the toolbar, the error banner, every node, the zoom controls and the log filters; a node opens its details, focus stays in them and comes back', async () => {
    const { page, problems } = await openPage(demo.browser, `${demo.origin}/#wf=failing-run`);
    await waitForCanvas(page, 6);
    await failedRun(page);

    // Every Tab stop of the page, from its first control until focus leaves the page.
    await page.focus('[data-testid="workflow-select"]');
    const stops = [await focused(page)];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const stop = await focused(page);
      if (stop === 'page') break;
      stops.push(stop);
    }
    expect(stops).toEqual([
      reads('combobox Workflow'),
      reads('combobox Language'),
      reads('button Run'),
      expect.stringMatching(/^button [\d:.]+ Charge card Payment API returned 503 \(show this node\)$/),
      reads('group Receive order Completed'),
      reads('button Completed: Receive order, show details'),
      reads('group Reserve stock Completed'),
      reads('button Completed: Reserve stock, show details'),
      reads('group Charge card Error'),
      reads('button Error: Charge card, show details'),
      reads('group Create shipment Pending'),
      reads('group Notify customer Pending'),
      reads('group Close order Pending'),
      reads('button Zoom In'),
      reads('button Zoom Out'),
      reads('button Fit View'),
      reads('link React Flow attribution'),
      reads('combobox Node'),
      reads('combobox Show'),
      reads('log Logs'),
    ]);

    // The toolbar is one Tab stop; arrow keys reach the rest of its buttons.
    await page.focus('.fp-toolbar__run');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toEqual(reads('button Pause'));
    await page.keyboard.press('End');
    expect(await focused(page)).toEqual(reads('button Cancel'));

    // Enter on a finished node opens its details, focus on Close; Tab and Shift+Tab stay inside.
    await page.focus('.react-flow__node[data-id="charge-card"]');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Charge card failed' });
    await dialog.waitFor();
    expect(await focused(page)).toEqual(reads('button Close'));
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await expect(dialog.getByText('Payment API returned 503').count()).resolves.toBe(1);
    expect(await problemsLightAndDark(page)).toEqual([]);
    // Escape closes, and focus goes back to the node.
    await page.keyboard.press('Escape');
    await expect(dialog.count()).resolves.toBe(0);
    expect(await focused(page)).toEqual(reads('group Charge card Error'));
    // Its details button too: Space opens, Escape returns focus to it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    expect(await focused(page)).toEqual(reads('button Error: Charge card, show details'));

    // Space on a node selects it: the logs show its lines only, and the filter clears from the keyboard.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    const chip = page.locator('.fp-logs__chip');
    await chip.waitFor();
    expect(await chip.textContent()).toBe('Filtered to node Charge card — Clear');
    await expect(page.locator('.fp-logs__count').textContent()).resolves.toBe('2 of 7 lines');
    expect(await problemsLightAndDark(page)).toEqual([]);
    for (let i = 0; i < 12 && !(await focused(page)).startsWith('button Clear'); i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toEqual(reads('button Clear the node filter (Charge card)'));
    await page.keyboard.press('Enter');
    await chip.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('more errors than the banner has room for, none naming a node (another backend): the list is a Tab stop and scrolls from the keyboard', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 860 } });
    // What a backend that ties no error to a node sends: the server's error without its node, and seven more.
    await page.routeWebSocket(/\/api\/ws\//, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        const m = JSON.parse(String(message));
        if (m.type === 'error') m.data.node_id = null;
        if (m.type === 'workflow_complete') {
          for (let i = 1; i <= 7; i++) {
            const error = `Ledger sync ${i} timed out`;
            ws.send(JSON.stringify(createErrorMessage({ workflowId: m.data.workflow_id, executionId: m.data.execution_id, error })));
          }
        }
        ws.send(JSON.stringify(m));
      });
    });
    await page.goto(`${demo.origin}/#wf=failing-run`);
    await waitForCanvas(page, 6);
    await failedRun(page);
    const list = page.locator('.fp-errors__list');
    await page.waitForFunction(() => document.querySelectorAll('.fp-errors__item').length === 8);
    expect(await list.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    expect(await problemsNow(page)).toEqual([]);

    await page.focus('.fp-toolbar__run');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toEqual(reads('list 8 errors in this run'));
    await page.keyboard.press('End');
    // The last error is now inside the list's box.
    await page.waitForFunction(() => {
      const box = document.querySelector('.fp-errors__list')!.getBoundingClientRect();
      const last = [...document.querySelectorAll('.fp-errors__item')].pop()!.getBoundingClientRect();
      return last.bottom <= box.bottom + 1 && last.top >= box.top - 1;
    });
    await page.close();
  });

  it('with less motion asked for, nothing animates while nodes run and data flows; without, the pulse and flow do', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
    await page.goto(`${demo.origin}/#wf=parallel-branches`);
    await waitForCanvas(page, 12);
    await page.waitForSelector('.fp-connection--open');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // What moves at the first moment a node runs and data flows along an edge (once the canvas has
    // re-rendered for the motion preference: the edge's static class comes and goes with it).
    const motion = async () => {
      const handle = await page.waitForFunction(
        () => {
          const node = document.querySelector('.fp-node--running');
          const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
          const edge = document.querySelector(reduced ? '.fp-edge--flowing.fp-edge--static' : '.fp-edge--flowing:not(.fp-edge--static)');
          if (!node || !edge) return null;
          const names = document.getAnimations().map((a) => (a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty);
          return {
            animations: [...new Set(names)].sort(),
            pulse: getComputedStyle(node, '::before').animationName,
            edge: getComputedStyle(edge).animationName,
            markers: document.querySelectorAll('.fp-edge__marker').length,
          };
        },
        undefined,
        { polling: 20 },
      );
      return (await handle.jsonValue())!;
    };
    expect(await motion()).toEqual({ animations: [], pulse: 'none', edge: 'none', markers: 0 });

    // The same run with motion allowed does animate: the check above would have seen it.
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    const moving = await motion();
    expect(moving.pulse).toBe('fp-pulse');
    expect(moving.edge).toBe('fp-dash');
    expect(moving.animations).toEqual(expect.arrayContaining(['fp-dash', 'fp-pulse']));
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await problemsNow(page)).toEqual([]);
    await page.close();
  });

  it('in forced colours (Windows high contrast) a focused node, a selected node and the progress bar stay visible', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1280, height: 860 }, forcedColors: 'active' });
    await page.goto(`${demo.origin}/#wf=failing-run`);
    await waitForCanvas(page, 6);
    await failedRun(page);
    const node = '.react-flow__node[data-id="ship"]';
    const idle = await shot(page, node, 14);
    // Reached with the keyboard, as a keyboard user reaches it (focus rings show for keyboard focus).
    await page.focus('.react-flow__node[data-id="charge-card"]');
    for (const key of ['Tab', 'Tab']) await page.keyboard.press(key);
    expect(await focused(page)).toEqual(reads('group Create shipment Pending'));
    expect((await shot(page, node, 14)).equals(idle)).toBe(false);
    await page.keyboard.press('Space');
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await page.waitForSelector('.fp-node--selected');
    expect((await shot(page, node, 14)).equals(idle)).toBe(false);

    // The bar is drawn at all: hiding it changes what is on screen.
    const track = '.fp-progress__track';
    const bar = await shot(page, track, 2);
    await page.$eval(track, (el) => ((el as HTMLElement).style.visibility = 'hidden'));
    expect((await shot(page, track, 2)).equals(bar)).toBe(false);
    await page.close();
  });
});
