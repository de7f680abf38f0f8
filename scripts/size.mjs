// Prints the min+gzip size of the `flowpulse` entry (hook + store + protocol),
// with its own dependency zustand bundled in and the peers (react, react-dom) left out,
// then where the entry's bytes come from, so a budget decision has facts to go on.
import { build } from 'esbuild';
import { gzipSync, brotliCompressSync } from 'node:zlib';

// `flowpulse` is what an app that watches runs pays: hooks, provider, store,
// connection and protocol. Run control (REST) is its own entry.
const entries = {
  flowpulse: 'src/index.ts',
  'flowpulse/control': 'src/control/index.ts',
  'flowpulse/protocol': 'src/protocol/index.ts',
};
const budget = { flowpulse: 5 * 1024 };
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

let breakdown;
for (const [name, entry] of Object.entries(entries)) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    external: ['react', 'react-dom', 'react/*'],
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].contents;
  const size = gzip(code);
  const limit = budget[name];
  const verdict = limit ? (size <= limit ? `within the ${limit} B budget` : `OVER the ${limit} B budget`) : '';
  console.log(
    `${name.padEnd(20)} min ${String(code.length).padStart(6)} B   min+gzip ${String(size).padStart(5)} B   brotli ${String(brotliCompressSync(code).length).padStart(5)} B   ${verdict}`,
  );
  if (name === 'flowpulse') breakdown = Object.entries(Object.values(out.metafile.outputs)[0].inputs);
}

// Minified bytes per source file; gzip shares repeats across files, so these add up to more than the total.
console.log('\nflowpulse, minified bytes per file:');
for (const [file, { bytesInOutput }] of breakdown
  .filter(([, i]) => i.bytesInOutput > 0)
  .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
  console.log(`  ${String(bytesInOutput).padStart(6)}  ${file}`);
}
// A report, not a gate: the figure goes in the release notes either way.
