// Does a tab that watches runs for hours stay bounded? (`npm run bench:soak`: builds the library
// and the demo, then runs this.) The demo page (dist/demo) in real Chromium, against the reference
// server (dist/server.js, in this process, so the bench can cut its sockets and restart it), plays:
//
// 1. runs:       hundreds of runs back to back, every third one failing (logs, edge flows, errors);
// 2. switches:   the workflow picker, each switch an unmount and mount of provider, socket and
//                canvas; a run is left live at every fifth, so the canvas goes away mid-run;
// 3. reconnects: a run started, then its socket cut by the server (the Reconnect button then
//                skips the backoff), or cut while the page is offline (until `online`), or the
//                server restarted;
// 4. resizes:    the window resized between wide and tall ('auto' lays the graph out again; the
//                demo asks for metrics past 900 px, so each crossing also reconnects).
//
// At each checkpoint the page is brought to the same state (the `soak` workflow shown, one
// successful run just watched, socket open) and measured after garbage collection: JS heap,
// the page's JavaScript data (heap snapshot, see heap-snapshot.mjs), DOM nodes and event listeners
// (Chromium's counters), and, counted in the page (soak-page.js), live timers, animation frames,
// listeners on global targets and open sockets. Growth is judged over each phase's second half,
// after the first half has warmed it up.
//
// Waits use locators and predicates only: an ElementHandle (what `page.waitForSelector` returns)
// pins its element, and so the whole unmounted canvas around it, until the handle is disposed.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createFlowpulseServer } from '../dist/server.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/browser/chromium-flags.mjs';
import { grownKinds, heapSummary } from './heap-snapshot.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = `${ROOT}dist/demo`;
// `SOAK_SCALE=10` for a longer soak; the default stays within two minutes on two cores.
const SCALE = Number(process.env.SOAK_SCALE ?? 1);
const scaled = (n) => Math.max(2, Math.round(n * SCALE));
const RUNS = scaled(300);
const SWITCHES = scaled(200);
const RECONNECTS = scaled(60);
const RESIZES = scaled(100);
const VIEWPORT = { width: 1280, height: 860 };
// Wide and tall, each crossing the demo's 900 px metrics threshold.
const SIZES = [
  { width: 700, height: 1000 },
  { width: 1400, height: 600 },
  { width: 880, height: 900 },
  { width: 1100, height: 700 },
];
// What a phase's second half may add and still count as flat: JS data moves by up to a few tens
// of KB between two checkpoints in the same state (see `checkpoint`), so a leak shows once it
// passes that over the phase's iterations (the report says from how many bytes each). The
// counters are exact but for a few listeners and DOM nodes React Flow creates on demand.
const NOISE_BYTES = 64 * 1024;
const SLACK = { domNodes: 20, listeners: 4, timers: 1 };

if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
if (!existsSync(`${DEMO}/index.html`)) throw new Error('no dist/demo: run npm run bench:soak (it builds first)');

// 20 nodes: a start, four parallel branches of four short delays (each logs and returns a result),
// a merge, a check and an output. The check fails when asked (every third run), so errors show.
const branch = (b) =>
  [0, 1, 2, 3].map((i) => ({
    id: `b${b}n${i}`,
    type: 'delay',
    label: `Branch ${b} step ${i}`,
    config: { ms: 2 + ((b + i) % 3), log: `branch ${b} step ${i}`, result: { branch: b, step: i } },
  }));
const soak = (fails) => ({
  id: 'soak',
  name: 'Soak',
  nodes: [
    { id: 'start', type: 'start', config: { ms: 1 } },
    ...[0, 1, 2, 3].flatMap(branch),
    { id: 'merge', type: 'merge', config: { ms: 1 } },
    fails
      ? { id: 'check', type: 'fail', label: 'Check', config: { ms: 1, message: 'check failed' } }
      : { id: 'check', type: 'delay', label: 'Check', config: { ms: 1, log: 'check passed' } },
    { id: 'out', type: 'output', config: { ms: 1 } },
  ],
  edges: [
    ...[0, 1, 2, 3].flatMap((b) => [
      { source: 'start', target: `b${b}n0` },
      ...[1, 2, 3].map((i) => ({ source: `b${b}n${i - 1}`, target: `b${b}n${i}` })),
      { source: `b${b}n3`, target: 'merge' },
    ]),
    { source: 'merge', target: 'check' },
    { source: 'check', target: 'out' },
  ].map((e, i) => ({ id: `e${i}`, ...e })),
});
const small = {
  id: 'soak-small',
  name: 'Soak (fails)',
  nodes: [
    { id: 'a', type: 'delay', config: { ms: 1, log: 'about to fail' } },
    { id: 'b', type: 'fail', config: { ms: 1, message: 'nope' } },
  ],
  edges: [{ id: 'e', source: 'a', target: 'b' }],
};
// The picker's cycle: the samples (no run), the failing one (run to the end), the soak (left mid-run).
const CYCLE = ['linear-pipeline', 'parallel-branches', 'failing-run', 'soak-small', 'soak'];

// The server, restartable on the same port; every socket it upgrades is kept, to be cut.
let port = 0;
let server;
const upgraded = new Set();
async function startServer() {
  server = createFlowpulseServer({
    port,
    host: '127.0.0.1',
    workflowsDir: `${ROOT}workflows`,
    staticDir: DEMO,
    workflows: [soak(false), small],
  });
  server.httpServer.on('upgrade', (_req, socket) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  const { url } = await server.listen();
  port = Number(new URL(url).port);
  failing = false;
  return url.replace(/\/$/, '');
}
let failing = false;
const origin = await startServer();
const api = async (path, method, body) => {
  const res = await fetch(origin + path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function setFailing(fails) {
  if (fails === failing) return;
  const res = await api('/api/workflows/soak', 'PUT', soak(fails));
  if (res.status !== 200) throw new Error(`PUT soak: ${res.status} ${JSON.stringify(res.body)}`);
  failing = fails;
}

const started = performance.now();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: VIEWPORT });
await page.addInitScript({ content: readFileSync(`${ROOT}bench/soak-page.js`, 'utf8') });
const problems = [];
page.on('pageerror', (e) => problems.push(String(e)));
const cdp = await page.context().newCDPSession(page);

const picker = page.locator('[data-testid="workflow-select"]');
const connection = (status) => page.locator(`.fp-connection[data-status="${status}"]`).waitFor({ timeout: 40_000 });
const nodeCounts = { soak: 20, 'soak-small': 2 };
for (const id of CYCLE.slice(0, 3)) nodeCounts[id] = (await api(`/api/workflows/${id}`, 'GET')).body.nodes.length;
const canvasShows = (id) =>
  page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length === n, nodeCounts[id], { timeout: 15_000 });
const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function show(id) {
  if ((await picker.inputValue()) !== id) await picker.selectOption(id);
  await canvasShows(id);
}
/** Starts a run once the page's socket is open (a run that ends before it is only a snapshot). */
async function start(id) {
  await connection('open');
  for (;;) {
    const res = await api(`/api/workflows/${id}/execute`, 'POST', {});
    if (res.status === 202) return res.body.execution_id;
    // Runs left live by an earlier phase: at most 20 per workflow.
    await sleep(100);
  }
}
async function watchRun(id) {
  const execution = await start(id);
  await page.waitForFunction((e) => window.__soak.ended(e), execution, { timeout: 20_000, polling: 10 });
}
async function startHeard(id) {
  const execution = await start(id);
  await page.waitForFunction((e) => window.__soak.heard(e), execution, { timeout: 20_000, polling: 10 });
}

const rows = [];
/**
 * One measurement of the page as it is now, after garbage collection. The snapshot collects first;
 * an unmounted canvas's DOM can take more than one collection to go.
 */
async function measure() {
  const heap = await heapSummary(cdp);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const live = await page.evaluate(() => window.__soak.counts());
  return { heap: usedSize, data: heap.bytes, summary: heap, domNodes: dom.nodes, listeners: dom.jsEventListeners, ...live };
}
/**
 * Brings the page to the checkpoint state and keeps the least of five measurements, each after
 * one more run: how many of React's fibers have a second copy (1,500 to 2,000 of them here)
 * depends on how the last messages were batched into frames, which moves the JS data by up to
 * 50 KB from one run to the next. The least is the state without those copies.
 */
async function checkpoint(phase, done) {
  await page.setViewportSize(VIEWPORT);
  await show('soak');
  await setFailing(false);
  const tries = [];
  for (let i = 0; i < 5; i++) {
    await watchRun('soak');
    await frames(); // the store applies a burst on the next frame
    tries.push(await measure());
  }
  const least = (key) => Math.min(...tries.map((t) => t[key]));
  const smallest = tries.reduce((a, b) => (b.data < a.data ? b : a));
  const row = { phase, done, ...smallest };
  for (const key of ['heap', 'domNodes', 'listeners', 'globalListeners', 'timeouts', 'intervals', 'frames', 'sockets'])
    row[key] = least(key);
  row.timers = row.timeouts + row.intervals + row.frames;
  rows.push(row);
}

/** Plays `count` iterations of `step`, with checkpoints at the middle and the end. */
const seconds = {};
async function phase(name, count, step) {
  const begun = performance.now();
  for (let i = 1; i <= count; i++) {
    await step(i);
    if (i === Math.floor(count / 2) || i === count) await checkpoint(name, i);
  }
  seconds[name] = (performance.now() - begun) / 1000;
}

// Browser and server go whatever happens: a failed wait must not leave Chromium running.
try {
  // Warm-up: every panel the phases show, and the code behind them compiled, before the first checkpoint.
  await page.goto(`${origin}/#wf=soak`);
  await canvasShows('soak');
  for (let i = 1; i <= 15; i++) {
    await setFailing(i % 3 === 0);
    await watchRun('soak');
  }
  for (const id of [...CYCLE, ...CYCLE]) await show(id);
  for (const size of SIZES) await page.setViewportSize(size);
  await checkpoint('start', 0);

  await phase('runs', RUNS, async (i) => {
    await setFailing(i % 3 === 0);
    await watchRun('soak');
  });

  await phase('switches', SWITCHES, async (i) => {
    const id = CYCLE[i % CYCLE.length];
    await show(id);
    if (id === 'soak-small') await watchRun(id);
    // Away while the run is live: its flows, timers and socket go with the canvas.
    if (id === 'soak') await startHeard(id);
  });

  await phase('reconnects', RECONNECTS, async (i) => {
    await startHeard('soak');
    const { socketsMade } = await page.evaluate(() => window.__soak.counts());
    // Seen to drop: retrying, or already on a new socket (a retry's delay may be next to nothing).
    const dropped = () =>
      page.waitForFunction(
        (made) => document.querySelector('.fp-connection')?.dataset.status === 'reconnecting' || window.__soak.counts().socketsMade > made,
        socketsMade,
        { timeout: 40_000, polling: 10 },
      );
    const how = i % 20 === 0 ? 'restart' : i % 2 ? 'cut' : 'offline';
    if (how === 'offline') {
      // Offline, the client waits for `online` rather than a timer.
      await page.evaluate(() => window.__soak.setOnline(false));
      for (const s of upgraded) s.destroy();
      await connection('reconnecting');
      await page.evaluate(() => window.__soak.setOnline(true));
    } else {
      if (how === 'restart') {
        await server.close();
        await startServer();
      } else for (const s of upgraded) s.destroy();
      await dropped();
      // The backoff grows with every attempt that did not last 5 s; the button starts one now.
      if (await page.locator('.fp-connection__retry').isVisible())
        await page
          .locator('.fp-connection__retry')
          .click({ timeout: 2000 })
          .catch(() => {});
    }
    await connection('open');
  });

  await phase('resizes', RESIZES, async (i) => {
    await page.setViewportSize(SIZES[i % SIZES.length]);
    await frames();
  });
} finally {
  await browser.close();
  await server.close();
}

// Report.
const KB = (b) => `${(b / 1024).toFixed(0)} KB`;
const MB = (b) => `${(b / 1024 / 1024).toFixed(2)} MB`;
const signed = (n, unit = '') => `${n >= 0 ? '+' : ''}${n}${unit}`;
console.log(`Soak of the demo page in Chromium ${browser.version()} against the reference server, ${VIEWPORT.width}×${VIEWPORT.height}.`);
console.log('Each checkpoint: the soak workflow shown, one successful run just watched, after garbage collection.');
console.log("JS data: the heap snapshot without compiled code and native objects. listeners: Chromium's count (DOM");
console.log('and others); global: on window, document, media queries… as the page counts them. timers: timeouts/intervals/frames live.\n');
const head = ['checkpoint', 'JS heap', 'JS data', 'DOM nodes', 'listeners', 'global', 'timers', 'sockets open (made)'];
const widths = [18, 9, 9, 9, 9, 6, 7, 19];
const line = (cells) => cells.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
console.log(line(head));
for (const r of rows) {
  const cells = [`${r.phase} ${r.done || ''}`.trim(), MB(r.heap), MB(r.data), r.domNodes, r.listeners, r.globalListeners];
  console.log(line([...cells, `${r.timeouts}/${r.intervals}/${r.frames}`, `${r.sockets} (${r.socketsMade})`]));
}

const verdicts = [];
console.log('\nSecond half of each phase, middle checkpoint to end (a leak shows once it passes the noise: "seen from"):');
const halfHead = ['phase', 'iterations', 'JS data', 'each', 'JS heap', 'DOM nodes', 'listeners', 'global', 'timers', 'open', 'seen from'];
const halfWidths = [10, 10, 8, 7, 8, 9, 9, 6, 6, 4, 13];
const halfLine = (cells) => cells.map((c, i) => (i ? String(c).padStart(halfWidths[i]) : String(c).padEnd(halfWidths[i]))).join('  ');
console.log(halfLine(halfHead));
const SINGULAR = { runs: 'run', switches: 'switch', reconnects: 'reconnect', resizes: 'resize' };
for (const name of Object.keys(SINGULAR)) {
  const [mid, end] = rows.filter((r) => r.phase === name);
  const n = end.done - mid.done;
  const growth = {
    'JS data': end.data - mid.data > NOISE_BYTES,
    'DOM nodes': end.domNodes - mid.domNodes > SLACK.domNodes,
    listeners: end.listeners - mid.listeners > SLACK.listeners || end.globalListeners > mid.globalListeners,
    timers: end.timers - mid.timers > SLACK.timers,
    sockets: end.sockets !== 1,
  };
  const grew = Object.keys(growth).filter((k) => growth[k]);
  console.log(
    halfLine([
      name,
      n,
      signed(Math.round((end.data - mid.data) / 1024), ' KB'),
      signed(Math.round((end.data - mid.data) / n), ' B'),
      signed(Math.round((end.heap - mid.heap) / 1024), ' KB'),
      signed(end.domNodes - mid.domNodes),
      signed(end.listeners - mid.listeners),
      signed(end.globalListeners - mid.globalListeners),
      signed(end.timers - mid.timers),
      end.sockets,
      `${(NOISE_BYTES / n / 1024).toFixed(1)} KB a ${SINGULAR[name]}`,
    ]) + (grew.length ? `  <- grows: ${grew.join(', ')}` : ''),
  );
  if (growth['JS data'])
    for (const k of grownKinds(mid.summary, end.summary))
      console.log(`      ${KB(k.bytes).padStart(7)}  ${signed(k.count).padStart(6)}  ${k.kind}`);
  if (grew.length) verdicts.push(`${name}: ${grew.join(', ')}`);
}
const first = rows[0];
const last = rows.at(-1);
console.log(
  `\nStart to end (${RUNS} runs, ${SWITCHES} switches, ${RECONNECTS} reconnects, ${RESIZES} resizes): JS data ${KB(first.data)} → ${KB(last.data)}, ` +
    `JS heap ${MB(first.heap)} → ${MB(last.heap)} (compiled code and DevTools' request buffers included), ` +
    `DOM nodes ${first.domNodes} → ${last.domNodes}, listeners ${first.listeners} → ${last.listeners}.`,
);
if (problems.length) verdicts.push(`page errors: ${problems.slice(0, 3).join(' | ')}`);
console.log(
  verdicts.length
    ? `VERDICT: GROWS — ${verdicts.join('; ')}`
    : `VERDICT: bounded — no steady growth of JS data, DOM nodes, listeners, timers or sockets in any phase`,
);
const phases = Object.entries(seconds).map(([name, t]) => `${name} ${t.toFixed(0)} s`);
console.log(`${((performance.now() - started) / 1000).toFixed(0)} s in all (${phases.join(', ')}, checkpoints included)`);
process.exitCode = verdicts.length ? 1 : 0;
