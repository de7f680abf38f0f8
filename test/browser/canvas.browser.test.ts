// @vitest-environment node
/**
 * The canvas story in real Chromium: a running and a failed run are rendered,
 * their node colours checked in computed styles and in screenshot pixels.
 * Skipped without Chromium locally; fails without it on CI.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Browser, Page } from 'playwright-core';
import { browserTestsRun, launchChromium } from './chromium';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import viteConfig from '../../vite.config';

const pageDir = fileURLToPath(new URL('./canvas-page/', import.meta.url));

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The most common colour inside each element's box, from a PNG screenshot decoded by the browser itself. */
async function dominantColours(page: Page, selector: string): Promise<string[]> {
  const png = (await page.screenshot({ animations: 'disabled' })).toString('base64');
  return page.evaluate(
    async ({ png, selector }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const ratio = img.width / window.innerWidth;
      return Array.from(document.querySelectorAll(selector)).map((el) => {
        const r = el.getBoundingClientRect();
        const x = Math.ceil(r.left * ratio) + 2;
        const y = Math.ceil(r.top * ratio) + 2;
        const w = Math.floor(r.width * ratio) - 4;
        const h = Math.floor(r.height * ratio) - 4;
        const data = ctx.getImageData(x, y, w, h).data;
        const counts = new Map<string, number>();
        for (let i = 0; i < data.length; i += 4) {
          const key = `rgb(${data[i]}, ${data[i + 1]}, ${data[i + 2]})`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
      });
    },
    { png, selector },
  );
}

describe.skipIf(!browserTestsRun)('the canvas story in Chromium', () => {
  let outDir: string;
  let server: Server;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'flowpulse-canvas-'));
    await build({
      configFile: false,
      root: pageDir,
      logLevel: 'silent',
      plugins: [react()],
      resolve: viteConfig.resolve,
      build: { outDir, emptyOutDir: true, target: 'es2022', sourcemap: false, minify: false },
    });
    server = await serve(outDir);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium(['--force-color-profile=srgb']);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function open(story: string) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${origin}/index.html?story=${story}`);
    await page.waitForSelector('.react-flow__node .fp-node');
    // Let React Flow measure and fit the view.
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node[style*="visibility: visible"]').length >= 8);
    await page.waitForTimeout(300);
    return { page, problems };
  }

  const backgrounds = (page: Page, selector: string) =>
    page.$$eval(selector, (els) => els.map((el) => getComputedStyle(el).backgroundColor));

  /** Holds every animation at `ms` into its cycle, so computed colours are read at a known point of the pulse. */
  const freezeAnimations = (page: Page, ms: number) =>
    page.evaluate((ms) => {
      for (const a of document.getAnimations()) {
        a.pause();
        a.currentTime = ms;
      }
    }, ms);

  it('paints a running run: completed green, running yellow and pulsing, pending grey, the current node ringed', async () => {
    const { page, problems } = await open('RunningSnapshot');
    expect(await backgrounds(page, '.fp-node--running')).toEqual(['rgb(255, 204, 0)']);
    expect(new Set(await backgrounds(page, '.fp-node--completed'))).toEqual(new Set(['rgb(0, 255, 0)']));
    expect(new Set(await backgrounds(page, '.fp-node--pending'))).toEqual(new Set(['rgb(204, 204, 204)']));

    const running = await page.$eval('.fp-node--running', (el) => {
      const pulse = getComputedStyle(el, '::before'); // the fill's veil pulses, the words on it do not
      return {
        animation: pulse.animationName,
        duration: pulse.animationDuration,
        iterations: pulse.animationIterationCount,
        outline: getComputedStyle(el).outlineStyle,
      };
    });
    expect(running).toEqual({ animation: 'fp-pulse', duration: '1s', iterations: 'infinite', outline: 'solid' });
    // An idle node animates nothing.
    expect(await page.$eval('.fp-node--pending', (el) => getComputedStyle(el).animationName)).toBe('none');

    const flowing = await page.$eval('.fp-edge--flowing', (el) => {
      const s = getComputedStyle(el);
      return { stroke: s.stroke, width: s.strokeWidth, dash: s.strokeDasharray, animation: s.animationName };
    });
    expect(flowing).toEqual({ stroke: 'rgb(0, 255, 0)', width: '3px', dash: '8px, 4px', animation: 'fp-dash' });
    expect(
      await page.$$eval('.fp-edge:not(.fp-edge--flowing)', (els) => els.map((el) => getComputedStyle(el).animationName)),
    ).not.toContain('fp-dash');
    expect(await page.locator('.fp-edge__marker').count()).toBeGreaterThan(0);

    // The pixels, not just the styles: the fill dominates each node's box.
    expect(await dominantColours(page, '.fp-node--running')).toEqual(['rgb(255, 204, 0)']);
    expect(new Set(await dominantColours(page, '.fp-node--completed'))).toEqual(new Set(['rgb(0, 255, 0)']));
    expect(new Set(await dominantColours(page, '.fp-node--pending'))).toEqual(new Set(['rgb(204, 204, 204)']));
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('paints a failed run: the failed node red, its message in a tooltip on hover, the error listed', async () => {
    const { page, problems } = await open('FailedSnapshot');
    expect(await backgrounds(page, '.fp-node--error')).toEqual(['rgb(255, 0, 0)']);
    expect(await page.locator('.fp-node--running').count()).toBe(0);
    expect(await dominantColours(page, '.fp-node--error')).toEqual(['rgb(255, 0, 0)']);
    expect(await page.getByRole('heading', { name: '1 error in this run' }).count()).toBe(1);

    await page.hover('.fp-node--error');
    const tooltip = page.getByRole('tooltip');
    expect(await tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toContain('Connection reset');
    await page.click('.fp-node--error .fp-node__details');
    expect(await page.getByRole('dialog', { name: 'Check stock failed' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Clicking the error in the banner brings its node to the middle of the pane, selected and focused.
    await page.mouse.move(0, 0);
    await page.getByRole('button', { name: /Check stock.*Connection reset/ }).click();
    await page.waitForTimeout(500);
    const placement = await page.evaluate(() => {
      const node = document.querySelector('.react-flow__node[data-id="stock"]') as HTMLElement;
      const pane = (document.querySelector('.react-flow') as HTMLElement).getBoundingClientRect();
      const box = node.getBoundingClientRect();
      return {
        selected: node.classList.contains('selected'),
        focused: document.activeElement === node,
        dx: Math.abs(box.left + box.width / 2 - (pane.left + pane.width / 2)),
        dy: Math.abs(box.top + box.height / 2 - (pane.top + pane.height / 2)),
      };
    });
    expect(placement.selected).toBe(true);
    expect(placement.focused).toBe(true);
    expect(placement.dx).toBeLessThan(2);
    expect(placement.dy).toBeLessThan(2);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('keeps node text readable at the low point of the pulse, and keyboard focus unlike selection', async () => {
    const { page, problems } = await open('RunningSnapshot');
    await freezeAnimations(page, 500); // half of the 1 s pulse: the fill at its faintest
    // The colour under the words: the fill, with the pulse's veil (the canvas colour at its opacity) over it.
    const contrast = (selector: string, textSelector: string) =>
      page.$eval(
        selector,
        (node, textSelector) => {
          const rgb = (c: string) =>
            c
              .match(/[\d.]+/g)!
              .slice(0, 3)
              .map(Number);
          const lum = ([r, g, b]: number[]) => {
            const [R, G, B] = [r!, g!, b!].map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
            return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
          };
          const veil = getComputedStyle(node, '::before');
          const veilOpacity = veil.content === 'none' ? 0 : Number(veil.opacity);
          const fill = rgb(getComputedStyle(node).backgroundColor);
          const under = fill.map((c, i) => c * (1 - veilOpacity) + rgb(veil.backgroundColor)[i]! * veilOpacity);
          const text = node.querySelector(textSelector)!;
          let textOpacity = 1;
          for (let el: Element | null = text; el && el !== node.parentElement; el = el.parentElement)
            textOpacity *= Number(getComputedStyle(el).opacity);
          const [a, b] = [lum(under), lum(rgb(getComputedStyle(text).color))];
          return { ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), textOpacity, veilOpacity };
        },
        textSelector,
      );
    const faint = await contrast('.fp-node--running', '.fp-node__label');
    expect(faint.veilOpacity).toBeCloseTo(0.4, 2); // it does pulse: the fill reads as at 0.6
    expect(faint.textOpacity).toBe(1);
    expect(faint.ratio).toBeGreaterThanOrEqual(4.5);
    expect((await contrast('.fp-node--running', '.fp-node__type')).ratio).toBeGreaterThanOrEqual(4.5);

    // A node focused from the keyboard wears a ring in the text colour, outside the blue "running now" outline.
    await page.keyboard.press('Shift');
    await page.focus('.react-flow__node:has(.fp-node--current)');
    const ring = await page.$eval('.react-flow__node:has(.fp-node--current) .fp-node', (el) => getComputedStyle(el).boxShadow);
    expect(ring).toContain('rgb(26, 26, 26)');
    expect(ring).not.toContain('rgb(37, 99, 235)');
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('does not fade the type line on red; focus returns to the node after a click on the dialog backdrop', async () => {
    const { page, problems } = await open('FailedSnapshot');
    const typeOnRed = await page.$eval('.fp-node--error .fp-node__type', (el) => getComputedStyle(el).opacity);
    expect(typeOnRed).toBe('1');
    await page.click('.fp-node--error .fp-node__details');
    expect(await page.getByRole('dialog').isVisible()).toBe(true);
    await page.mouse.click(3, 3); // the backdrop, outside the dialog box
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(
      await page.evaluate(
        () => document.activeElement?.closest('.react-flow__node')?.getAttribute('data-id') ?? document.activeElement?.tagName,
      ),
    ).toBe('stock');
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it("keeps an app's own element styles out of the panels and the dialog: a centred page, h2 colours, code boxes", async () => {
    const { page, problems } = await open('FailedSnapshot');
    // What an app's stylesheet says (Vite's React template centres #root and colours its headings).
    await page.addStyleTag({
      content: `body, #root { text-align: center; letter-spacing: 3px }
        h2 { color: rgb(1, 2, 3); font-family: serif; letter-spacing: -2px; line-height: 3 }
        code { display: inline-flex; padding: 4px 8px; background: rgb(250, 0, 250); color: rgb(1, 2, 3) }`,
    });
    const look = (selector: string) =>
      page.$eval(selector, (el) => {
        const s = getComputedStyle(el);
        const around = getComputedStyle(el.parentElement!.closest('.fp-errors, .fp-logs, .fp-dialog')!);
        return { color: s.color === around.color, align: s.textAlign, spacing: s.letterSpacing, serif: s.fontFamily === 'serif' };
      });
    const plain = { color: true, align: 'start', spacing: 'normal', serif: false };
    expect(await look('.fp-logs .fp-panel-title')).toEqual(plain);
    expect(await look('.fp-errors .fp-panel-title')).toEqual(plain);
    expect(await page.$eval('.fp-log', (el) => getComputedStyle(el).textAlign)).toBe('start');

    await page.click('.fp-node--error .fp-node__details');
    expect(await look('.fp-dialog__title')).toEqual(plain);
    const code = await page.$eval('.fp-dialog code', (el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, padding: s.padding, color: s.color === getComputedStyle(el.parentElement!).color };
    });
    expect(code).toEqual({ background: 'rgba(0, 0, 0, 0)', padding: '0px', color: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it("takes an app's theme everywhere: .fp-dark overrides inside the graph, a wrapper's overrides in the portalled dialog", async () => {
    const dark = await open('Dark');
    await dark.page.addStyleTag({ content: '.fp-dark { --fp-color-current: rgb(0, 255, 255); --fp-tooltip-bg: rgb(11, 22, 33) }' });
    const inGraph = await dark.page.$eval('.react-flow__node .fp-node', (el) =>
      getComputedStyle(el).getPropertyValue('--fp-color-current').trim(),
    );
    expect(inGraph).toBe('rgb(0, 255, 255)');
    await dark.page.close();

    const { page, problems } = await open('FailedSnapshot');
    await page.addStyleTag({ content: '.fp-canvas { --fp-color-error: rgb(200, 0, 100); --fp-surface: rgb(250, 240, 230) }' });
    await page.click('.fp-node--error .fp-node__details');
    const dialog = await page.$eval('[role="dialog"]', (el) => {
      const s = getComputedStyle(el);
      return { error: s.getPropertyValue('--fp-color-error').trim(), background: s.backgroundColor };
    });
    expect(dialog).toEqual({ error: 'rgb(200, 0, 100)', background: 'rgb(250, 240, 230)' });
    // What the canvas does not theme stays the page's, live, and the app's own rules for the backdrop apply.
    const text = () => page.$eval('[role="dialog"]', (el) => getComputedStyle(el).color);
    expect(await text()).toBe('rgb(26, 26, 26)');
    await page.evaluate(() => document.documentElement.classList.add('fp-dark'));
    expect(await text()).toBe('rgb(232, 234, 237)');
    await page.addStyleTag({ content: '.fp-dialog-backdrop { --fp-border: rgb(1, 2, 3) }' });
    expect(await page.$eval('[role="dialog"]', (el) => getComputedStyle(el).borderLeftColor)).toBe('rgb(1, 2, 3)');
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('gives the dialog of a light canvas the palette around it: an fp-dark ancestor, a Tailwind dark page, a page theme toggled', async () => {
    const surface = (page: Page) => page.$eval('[role="dialog"]', (el) => getComputedStyle(el).backgroundColor);
    const openDetails = async (before: () => void) => {
      const { page, problems } = await open('FailedSnapshot');
      await page.evaluate(before);
      await page.click('.fp-node--error .fp-node__details');
      return { page, problems };
    };
    // An app's .fp-dark around the canvas: dark nodes, dark dialog.
    const ancestor = await openDetails(() => document.getElementById('root')!.classList.add('fp-dark'));
    expect(await surface(ancestor.page)).toBe('rgb(22, 24, 29)');
    await ancestor.page.close();
    // Tailwind's html.dark is not flowpulse's: the light canvas keeps a light dialog.
    const tailwind = await openDetails(() => document.documentElement.classList.add('dark'));
    expect(await surface(tailwind.page)).toBe('rgb(255, 255, 255)');
    await tailwind.page.close();
    // A page-wide fp-dark, then taken away while the dialog is open: the dialog follows both ways.
    const page = await openDetails(() => document.documentElement.classList.add('fp-dark'));
    expect(await surface(page.page)).toBe('rgb(22, 24, 29)');
    await page.page.evaluate(() => document.documentElement.classList.remove('fp-dark'));
    expect(await surface(page.page)).toBe('rgb(255, 255, 255)');
    expect([...ancestor.problems, ...tailwind.problems, ...page.problems]).toEqual([]);
    await page.page.close();
  }, 30_000);

  it('shows recovery states: a forgotten run still and grey, a spinner only while retrying, sign-in refusals as alerts', async () => {
    const stale = await open('StaleRun');
    const unknown = await stale.page.$eval('.fp-node--unknown', (el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, animation: s.animationName, border: s.borderTopStyle };
    });
    expect(unknown).toEqual({ background: 'rgb(233, 233, 233)', animation: 'none', border: 'dashed' });
    expect(await stale.page.locator('.fp-node--running').count()).toBe(0);
    expect(await stale.page.getByText('The server no longer knows this run — showing the last known state').isVisible()).toBe(true);
    expect(stale.problems).toEqual([]);
    await stale.page.close();

    const iconAnimation = (page: Page) => page.$eval('.fp-connection__icon', (el) => getComputedStyle(el).animationName);
    const retrying = await open('Reconnecting');
    expect(await iconAnimation(retrying.page)).toBe('fp-spin');
    await retrying.page.close();

    const refused = await open('NotSignedIn');
    expect(await refused.page.getByRole('alert').textContent()).toContain('Not signed in');
    expect(await refused.page.getByRole('alert').isVisible()).toBe(true);
    expect(await iconAnimation(refused.page)).toBe('none');
    expect(refused.problems).toEqual([]);
    await refused.page.close();
  }, 30_000);

  it('keeps keyboard focus on a pressed toolbar button, names nodes for assistive technology, and opens details from the badge only', async () => {
    const { page, problems } = await open('WithToolbar');
    const pause = page.getByRole('button', { name: 'Pause' });
    await pause.focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Pause');
    await page.waitForFunction(() => document.querySelector('.fp-toolbar')?.getAttribute('aria-busy') === 'false');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Pause');

    // React Flow's focusable wrapper is named by the node's label and status, in Chromium's own accessibility tree.
    expect(await page.getByRole('group', { name: 'Fetch orders Completed' }).count()).toBe(1);
    expect(await page.getByRole('group', { name: /^Validate (Running|Completed)/ }).count()).toBe(1);

    // A plain click on a finished node selects it; its badge opens the details.
    await page.click('.react-flow__node[data-id="fetch"] .fp-node__label');
    expect(await page.locator('.react-flow__node[data-id="fetch"].selected').count()).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.click('.react-flow__node[data-id="fetch"] .fp-node__details');
    expect(await page.getByRole('dialog', { name: 'Fetch orders completed' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Enter on the focused node opens the details, and the same key press does not close them again.
    await page.focus('.react-flow__node[data-id="fetch"]');
    await page.keyboard.press('Enter');
    await new Promise((r) => setTimeout(r, 100));
    expect(await page.getByRole('dialog', { name: 'Fetch orders completed' }).isVisible()).toBe(true);
    // A click on the dialog's text keeps Escape working.
    await page.click('.fp-dialog__title');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('on a phone-sized screen the progress bar keeps its width: the text goes under it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${origin}/index.html?story=RunningSnapshot`);
    await page.waitForSelector('.fp-progress__track');
    const [track, text] = await Promise.all(
      ['.fp-progress__track', '.fp-progress__text'].map((sel) => page.$eval(sel, (el) => el.getBoundingClientRect().toJSON())),
    );
    expect(track.width).toBeGreaterThan(120);
    expect(text.top).toBeGreaterThanOrEqual(track.bottom - 1);
    await page.close();
  }, 30_000);

  it('honours prefers-reduced-motion: nothing pulses, dashes stand still, no travelling marker', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, reducedMotion: 'reduce' });
    await page.goto(`${origin}/index.html?story=RunningSnapshot`);
    await page.waitForSelector('.fp-node--running');
    await page.waitForSelector('.fp-edge--flowing', { state: 'attached' });
    expect(await page.$eval('.fp-node--running', (el) => getComputedStyle(el, '::before').animationName)).toBe('none');
    expect(await page.evaluate(() => document.getAnimations().length)).toBe(0);
    expect(
      await page.$eval('.fp-edge--flowing', (el) => [el.classList.contains('fp-edge--static'), getComputedStyle(el).animationName]),
    ).toEqual([true, 'none']);
    expect(await page.locator('.fp-edge__marker').count()).toBe(0);
    await page.close();
  }, 30_000);
});
