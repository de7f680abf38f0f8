// Prints the min+gzip size of the `flowpulse` entry (hook + store + protocol),
// with its own dependency zustand bundled in and the peers (react, react-dom) left out,
// then where the entry's bytes come from, so a budget decision has facts to go on;
// then what `flowpulse/flow` costs an app: with nodes that all have positions, and
// with a graph to lay out (dagre, in a chunk loaded on first need).
// `flowpulse` is what an app that watches runs pays: hooks, provider, store,
// connection and protocol. Run control (REST) is its own entry.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { BUILD_OPTIONS, ENTRIES, measure } from './measure-size.mjs';

const budget = { flowpulse: 5 * 1024 };
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => brotliCompressSync(bytes).length;
const row = (name, min, gz, br, note = '') =>
  console.log(
    `${name.padEnd(20)} min ${String(min).padStart(6)} B   min+gzip ${String(gz).padStart(5)} B   brotli ${String(br).padStart(5)} B   ${note}`,
  );
const common = BUILD_OPTIONS;

let breakdown;
for (const [name, entry] of Object.entries(ENTRIES)) {
  const { min, gzip, brotli, inputs } = await measure(entry);
  const limit = budget[name];
  const verdict = limit ? (gzip <= limit ? `within the ${limit} B budget` : `OVER the ${limit} B budget`) : '';
  row(name, min, gzip, brotli, verdict);
  if (name === 'flowpulse') breakdown = Object.entries(inputs);
}

// The canvas, as an app bundles it (code splitting on, @xyflow/react a peer too): the files loaded
// with the app, and those loaded on demand, which is dagre's chunk, for the first node without a position.
// Each file is compressed on its own, as a server sends it.
const dir = mkdtempSync(join(tmpdir(), 'flowpulse-size-'));
try {
  const flow = resolve('src/flow/index.ts').replaceAll('\\', '/');
  writeFileSync(
    join(dir, 'app.jsx'),
    `import { WorkflowCanvas } from '${flow}';\nexport const App = () => <WorkflowCanvas workflowId="1" />;\n`,
  );
  const out = await build({
    ...common,
    entryPoints: [join(dir, 'app.jsx')],
    splitting: true,
    outdir: join(dir, 'out'),
    external: ['react', 'react-dom', 'react/*', '@xyflow/react'],
  });
  const outputs = out.metafile.outputs;
  const key = (path) => Object.keys(outputs).find((k) => path.endsWith(k.replace(/^.*?out[\\/]/, '')));
  const files = new Map(out.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [key(f.path), f.contents]));
  const upFront = new Set();
  const pending = [Object.keys(outputs).find((k) => outputs[k].entryPoint)];
  while (pending.length) {
    const file = pending.pop();
    if (upFront.has(file)) continue;
    upFront.add(file);
    pending.push(...outputs[file].imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path));
  }
  const onDemand = [...upFront].flatMap((f) => outputs[f].imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
  const sum = (list, measure) => list.reduce((total, f) => total + measure(files.get(f)), 0);
  const first = [...upFront];
  const later = [...new Set(onDemand)].filter((f) => !upFront.has(f));
  const figures = (list) => [sum(list, (c) => c.length), sum(list, gzip), sum(list, brotli)];
  const [min, gz, br] = figures(first);
  const [lazyMin, lazyGz, lazyBr] = figures(later);
  console.log('\nflowpulse/flow in an app (zustand bundled; react, react-dom and @xyflow/react are peers):');
  row('  nodes positioned', min, gz, br, 'all an app loads: dagre never is');
  row('  laid out', min + lazyMin, gz + lazyGz, br + lazyBr, `the same, then ${lazyGz} B (dagre) loaded on first need`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Minified bytes per source file; gzip shares repeats across files, so these add up to more than the total.
console.log('\nflowpulse, minified bytes per file:');
for (const [file, { bytesInOutput }] of breakdown
  .filter(([, i]) => i.bytesInOutput > 0)
  .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
  console.log(`  ${String(bytesInOutput).padStart(6)}  ${file}`);
}
// A report, not a gate: the figure goes in the release notes either way. test/package/size.test.ts keeps it from creeping.
