// The measurement behind `npm run size` and its test: an entry bundled and
// minified as an app's bundler would ship it, with its own dependency zustand
// bundled in and the peers (react, react-dom) left out.
import { build } from 'esbuild';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/** The entries `npm run size` reports, by the name apps import. */
export const ENTRIES = {
  flowpulse: 'src/index.ts',
  'flowpulse/control': 'src/control/index.ts',
  'flowpulse/protocol': 'src/protocol/index.ts',
};

/** How entries are bundled: as an app's bundler ships them, minified, for current browsers. */
export const BUILD_OPTIONS = {
  bundle: true,
  minify: true,
  write: false,
  metafile: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  logLevel: 'silent',
};

/** Bytes of `entry` minified, then gzipped (level 9) and brotli-compressed; `inputs`: minified bytes per source file. */
export async function measure(entry, { cwd = process.cwd() } = {}) {
  const out = await build({ ...BUILD_OPTIONS, entryPoints: [entry], absWorkingDir: cwd, external: ['react', 'react-dom', 'react/*'] });
  const code = out.outputFiles[0].contents;
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
    inputs: Object.values(out.metafile.outputs)[0].inputs,
  };
}
