// Render cost of a live run on a 500-node canvas, in real Chromium, against a
// naive baseline measured in the same run (`npm run bench:canvas`).
//
// flowpulse keeps run state out of React Flow's `node.data`: each StatusNode
// reads its own slot of the store, so a `node_status` message re-renders one
// node and never replaces React Flow's `nodes` (a node that grows is measured
// again, which does, in both). The baseline is the common approach: status in
// `node.data`, every update a `setNodes(nodes.map(...))`.
// Both canvases are built from src/ (as the tests import flowpulse) with
// React's production profiling build, so <Profiler> works at production speed,
// and are driven by bench/canvas-page.tsx.
//
// Per update: the message is applied at the start of a frame, and timed to the
// end of that frame's paint. Each variant runs 3 times, each in a fresh page,
// alternating which goes first, so the noise of a shared machine shows.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/browser/chromium-flags.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const COLUMNS = 25;
const ROWS = 20;
// An update takes longer to paint than a frame lasts here, so each takes two: 500 messages are
// ~17 s a run, and 6 runs stay inside two minutes on two cores.
const MESSAGES = 500;
const RUNS = 3;
const ORIGIN = 'http://flowpulse.bench';

if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

/** The flowpulse imports resolved to src/, as vite.config.ts's aliases do for tests and stories. */
const fromSource = {
  name: 'flowpulse-src',
  setup(b) {
    const entries = { '': 'index.ts', '/protocol': 'protocol/index.ts', '/flow': 'flow/index.ts', '/styles.css': 'flow/styles.css' };
    b.onResolve({ filter: /^flowpulse(\/(protocol|flow|styles\.css))?$/ }, (args) => ({
      path: `${ROOT}src/${entries[args.path.slice('flowpulse'.length)]}`,
    }));
    // The profiling renderer: <Profiler> reports nothing in a plain production build. It shares
    // react-dom's internals, so `react-dom` itself (flushSync, createPortal) stays as it is.
    b.onResolve({ filter: /^react-dom\/client$/ }, () => ({ path: require.resolve('react-dom/profiling') }));
  },
};

const started = performance.now();
const bundle = await build({
  entryPoints: [`${ROOT}bench/canvas-page.tsx`],
  bundle: true,
  write: false,
  outdir: '/bench',
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [fromSource],
  logLevel: 'error',
});
const files = new Map(bundle.outputFiles.map((f) => [f.path.replace('/bench/', '/'), f.contents]));
files.set(
  '/index.html',
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/canvas-page.css">' +
    '<style>html,body{margin:0}#root{width:100vw;height:100vh}</style></head>' +
    '<body><div id="root"></div><script type="module" src="/canvas-page.js"></script></body></html>',
);
const TYPES = { html: 'text/html', js: 'text/javascript', css: 'text/css' };

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** One variant, one run, in a fresh page: no heap, JIT or React state carried over. */
async function measure(variant) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  // Served from memory: no server, and no request leaves the browser.
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const body = files.get(path);
    if (!body) return route.fulfill({ status: 404 });
    return route.fulfill({ body: Buffer.from(body), contentType: TYPES[path.split('.').pop()] });
  });
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => typeof window.runCanvasBench === 'function');
  const result = await page.evaluate(
    ([v, o]) => window.runCanvasBench(v, o),
    [variant, { columns: COLUMNS, rows: ROWS, messages: MESSAGES }],
  );
  await page.close();
  if (problems.length) throw new Error(`${variant}: ${problems.join('\n')}`);
  return result;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const summary = (r) => ({
  median: quantile(r.toPaint, 0.5),
  p95: quantile(r.toPaint, 0.95),
  total: sum(r.toPaint),
  applyMedian: quantile(r.apply, 0.5),
  applyTotal: sum(r.apply),
  react: r.reactMs,
  commits: r.commits,
  flowNodes: r.flowNodesChanges,
  resizes: r.resizes,
  // What the frame cost after React was done (style, layout, paint): the same DOM change in both.
  rest: quantile(
    r.toPaint.map((t, i) => t - r.apply[i]),
    0.5,
  ),
});

const runs = [];
for (let run = 1; run <= RUNS; run++) {
  const order = run % 2 ? ['flowpulse', 'baseline'] : ['baseline', 'flowpulse'];
  const row = { run };
  for (const variant of order) row[variant] = await measure(variant);
  runs.push(row);
}
await browser.close();

const { nodes, edges } = runs[0].flowpulse;
console.log(`Canvas of ${nodes} nodes (${COLUMNS}×${ROWS}), ${edges} edges, 1280×800, Chromium ${browser.version()}.`);
console.log(
  `${MESSAGES} node_status messages, running then completed for the first ${MESSAGES / 2} nodes in execution order, one per animation frame.`,
);
console.log("to paint: from applying an update at the start of a frame to the end of that frame's paint;");
console.log('apply: the part spent in the store or setNodes, React render and commit; React: <Profiler> actualDuration summed;');
console.log("RF nodes replaced: React Flow's own nodes array, of which resizes: nodes measured again after growing;");
console.log('after apply: the rest of "to paint" (Chromium\'s style, layout and paint), median. Times in ms.\n');

const columns = [
  ['median', 'to paint median', 15],
  ['p95', 'p95', 7],
  ['total', 'total', 8],
  ['applyMedian', 'apply median', 12],
  ['applyTotal', 'total', 7],
  ['react', 'React render', 12],
  ['commits', 'commits', 7],
  ['flowNodes', 'RF nodes replaced', 17],
  ['resizes', 'resizes', 7],
  ['rest', 'after apply', 11],
];
const cell = (v, w) => (Number.isInteger(v) ? String(v) : v.toFixed(v >= 1000 ? 0 : 2)).padStart(w);
console.log(`run  variant    ${columns.map(([, h, w]) => h.padStart(w)).join('  ')}`);
for (const { run, flowpulse, baseline } of runs) {
  for (const [name, r] of [
    ['flowpulse', flowpulse],
    ['baseline', baseline],
  ]) {
    const s = summary(r);
    console.log(`${String(run).padEnd(4)} ${name.padEnd(10)} ${columns.map(([k, , w]) => cell(s[k], w)).join('  ')}`);
  }
}

console.log('\nbaseline / flowpulse:');
const compared = ['median', 'p95', 'total', 'applyMedian', 'applyTotal', 'react'];
const ratios = Object.fromEntries(compared.map((k) => [k, []]));
for (const { run, flowpulse, baseline } of runs) {
  const f = summary(flowpulse);
  const b = summary(baseline);
  for (const k of compared) ratios[k].push(b[k] / f[k]);
  console.log(`  run ${run}:          ${compared.map((k) => `${k} ${(b[k] / f[k]).toFixed(2)}×`).join('  ')}`);
}
console.log(`  median of runs: ${compared.map((k) => `${k} ${quantile(ratios[k], 0.5).toFixed(2)}×`).join('  ')}`);
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all`);
