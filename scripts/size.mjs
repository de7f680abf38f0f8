// Prints the min+gzip size of the `flowpulse` entry (hook + store + protocol),
// with its own dependency zustand bundled in and the peers (react, react-dom) left out.
import { build } from 'esbuild';
import { gzipSync, brotliCompressSync } from 'node:zlib';

// `watch-only app` is what an app that renders live state pays: the hook,
// the provider and the per-node hooks, tree-shaken as a bundler would.
const entries = {
  'watch-only app': { contents: "export { useWorkflowWebSocket, WorkflowProvider, useNodeStatus, useWorkflowSelector } from './src/index.ts';", resolveDir: '.' },
  flowpulse: 'src/index.ts',
  'flowpulse/protocol': 'src/protocol/index.ts',
};
const budget = { 'watch-only app': 5 * 1024 };
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
