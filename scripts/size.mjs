// Prints the min+gzip size of the `flowpulse` entry (hook + store + protocol),
// with its own dependency zustand bundled in and the peers (react, react-dom) left out.
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
let failed = false;

for (const [name, entry] of Object.entries(entries)) {
  const out = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { ...entry, loader: 'ts' } }),
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    external: ['react', 'react-dom', 'react/*'],
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code).length;
  const limit = budget[name];
  if (limit && gzip > limit) failed = true;
  const verdict = limit ? (gzip <= limit ? `within the ${limit} B budget` : `OVER the ${limit} B budget`) : '';
  console.log(
    `${name.padEnd(20)} min ${String(code.length).padStart(6)} B   min+gzip ${String(gzip).padStart(5)} B   brotli ${String(brotli).padStart(5)} B   ${verdict}`,
  );
}
// A report, not a gate: the figure goes in the release notes either way.
void failed;
