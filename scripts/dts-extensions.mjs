// tsc writes declaration imports as the sources spell them ('./engine'), which
// only `moduleResolution: bundler` can follow. Node16/NodeNext apps need the
// file named, or every type from flowpulse silently becomes `any`; so each
// relative specifier in dist/types is rewritten to the .js file it stands for.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = process.argv[2] ?? 'dist/types';
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

function resolve(dir, spec) {
  if (/\.(js|json)$/.test(spec)) return spec;
  if (existsSync(join(dir, `${spec}.d.ts`))) return `${spec}.js`;
  if (existsSync(join(dir, spec, 'index.d.ts'))) return `${spec}/index.js`;
  throw new Error(`dts-extensions: cannot resolve '${spec}' from ${dir}`);
}

function* declarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarations(path);
    else if (entry.name.endsWith('.d.ts')) yield path;
  }
}

let rewritten = 0;
for (const file of declarations(root)) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(SPECIFIER, (_, head, quote, spec) => `${head}${quote}${resolve(dirname(file), spec)}${quote}`);
  if (next !== text) {
    writeFileSync(file, next);
    rewritten++;
  }
}
process.stdout.write(`dts-extensions: ${rewritten} declaration files rewritten\n`);
