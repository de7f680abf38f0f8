// @vitest-environment node
/**
 * What an app's bundler makes of the built `flowpulse/flow`: dagre (the layout code, ~17 KB min+gzip)
 * must not be in what an app loads up front unless the app imports `layoutNodes` itself. A canvas
 * loads it with import() when a node has no position, so it is a chunk of its own, loaded on demand.
 * Checked with esbuild (code splitting on) and with Vite's own bundler (rolldown), on the library as
 * `vite build` makes it, installed under node_modules with its package.json (`sideEffects` included).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, type Metafile } from 'esbuild';
import { build as viteBuild, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PEERS = ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client', '@xyflow/react'];

/** An app of one module, importing `names` from flowpulse/flow and rendering a canvas. */
const app = (names: string[], body: string) =>
  `import { ${names.join(', ')} } from 'flowpulse/flow';\nimport { jsx } from 'react/jsx-runtime';\n${body}\n`;
const APPS = {
  // Nodes that all have positions: n8n, Dify, Langflow and ComfyUI store them.
  positioned: app(
    ['WorkflowCanvas'],
    "export const App = () => jsx(WorkflowCanvas, { workflowId: '1', nodes: [{ id: 'a', position: { x: 0, y: 0 }, data: {} }] });",
  ),
  // A plain graph, laid out by the canvas: the same bundle, the layout chunk loaded when it renders.
  graph: app(
    ['WorkflowCanvas'],
    "export const App = () => jsx(WorkflowCanvas, { workflowId: '1', graph: { nodes: [{ id: 'a' }], edges: [] } });",
  ),
  // The synchronous layout, imported by the app: dagre comes with it.
  layoutNodes: app(
    ['WorkflowCanvas', 'layoutNodes'],
    "const nodes = layoutNodes([{ id: 'a', data: {} }], []);\nexport const App = () => jsx(WorkflowCanvas, { workflowId: '1', nodes });",
  ),
};

/** Each output file: the inputs it holds, and the files it imports statically and dynamically. */
type Outputs = Map<string, { inputs: string[]; imports: string[]; dynamic: string[] }>;

/** The files loaded with `entry` (it and its static imports, transitively), and those loaded on demand. */
function closure(outputs: Outputs, entry: string): { upFront: Set<string>; onDemand: Set<string> } {
  const upFront = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (upFront.has(file)) continue;
    upFront.add(file);
    pending.push(...outputs.get(file)!.imports);
  }
  const onDemand = new Set([...upFront].flatMap((f) => outputs.get(f)!.dynamic).filter((f) => !upFront.has(f)));
  return { upFront, onDemand };
}
const hasDagre = (outputs: Outputs, files: Set<string>) =>
  [...files].some((f) => outputs.get(f)!.inputs.some((i) => /[\\/]@dagrejs[\\/]dagre[\\/]/.test(i)));

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowpulse-bundle-'));
  const pkgDir = join(dir, 'node_modules', 'flowpulse');
  // The library build alone (no declarations): what `vite build` puts in dist/, written elsewhere. As in
  // production: under vitest NODE_ENV is `test`, and the JSX would be compiled for React's dev runtime.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await viteBuild({
      configFile: join(root, 'vite.config.ts'),
      root,
      logLevel: 'silent',
      build: { outDir: join(pkgDir, 'dist'), sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = env;
  }
  writeFileSync(join(pkgDir, 'package.json'), readFileSync(join(root, 'package.json')));
  // Its dependencies, as an install would put them beside it.
  for (const dep of ['zustand', '@dagrejs']) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  mkdirSync(join(dir, 'src'));
  for (const [name, code] of Object.entries(APPS)) writeFileSync(join(dir, 'src', `${name}.js`), code);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function withEsbuild(name: keyof typeof APPS): Promise<{ outputs: Outputs; entry: string }> {
  const result = await esbuild({
    entryPoints: [join(dir, 'src', `${name}.js`)],
    absWorkingDir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir: join(dir, 'out-esbuild', name),
    write: false,
    metafile: true,
    external: PEERS,
    logLevel: 'silent',
  });
  const meta: Metafile = result.metafile;
  const outputs: Outputs = new Map(
    Object.entries(meta.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, o]) => [
        file,
        {
          inputs: Object.keys(o.inputs).filter((i) => o.inputs[i]!.bytesInOutput > 0),
          imports: o.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path),
          dynamic: o.imports.filter((i) => i.kind === 'dynamic-import' && !i.external).map((i) => i.path),
        },
      ]),
  );
  const entry = Object.entries(meta.outputs).find(([, o]) => o.entryPoint)![0];
  return { outputs, entry };
}

async function withVite(name: keyof typeof APPS): Promise<{ outputs: Outputs; entry: string }> {
  const result = (await viteBuild({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      modulePreload: false,
      rollupOptions: { input: join(dir, 'src', `${name}.js`), preserveEntrySignatures: 'exports-only', external: PEERS },
    },
  })) as Rollup.RollupOutput;
  const chunks = result.output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
  const outputs: Outputs = new Map(
    chunks.map((c) => [
      c.fileName,
      { inputs: Object.keys(c.modules), imports: c.imports.filter((i) => !PEERS.includes(i)), dynamic: c.dynamicImports },
    ]),
  );
  return { outputs, entry: chunks.find((c) => c.isEntry)!.fileName };
}

describe.each([
  ['esbuild', withEsbuild],
  ['vite', withVite],
] as const)("an app's bundle of flowpulse/flow (%s)", (_, bundle) => {
  it.each(['positioned', 'graph'] as const)('%s: dagre is not loaded up front, but on demand', async (name) => {
    const { outputs, entry } = await bundle(name);
    const { upFront, onDemand } = closure(outputs, entry);
    expect(hasDagre(outputs, upFront)).toBe(false);
    expect(hasDagre(outputs, onDemand)).toBe(true);
  });

  it('an app that imports layoutNodes: dagre comes up front', async () => {
    const { outputs, entry } = await bundle('layoutNodes');
    expect(hasDagre(outputs, closure(outputs, entry).upFront)).toBe(true);
  });
});
