// @vitest-environment node
/**
 * The package as users install it: `npm run build`, then every `exports`
 * target exists, ships in the tarball, loads in plain Node, and has its types
 * under both the `bundler` and the `NodeNext` module resolution.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = (...args: string[]) => execFileSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** What each entry must export, at least: the names the README shows. */
const EXPECTED: Record<string, string[]> = {
  '.': [
    'useWorkflowWebSocket',
    'WorkflowProvider',
    'useNodeStatus',
    'useWorkflowSelector',
    'createWorkflowClient',
    'reduceWorkflow',
    'parseServerMessage',
  ],
  './protocol': ['parseServerMessage', 'validateServerMessage', 'createNodeStatusMessage', 'messagesSchema'],
  './control': ['useWorkflowControl', 'createWorkflowControl'],
  './flow': [
    'WorkflowCanvas',
    'CanvasView',
    'StatusNode',
    'DataFlowEdge',
    'ProgressBar',
    'LogPanel',
    'RunToolbar',
    'preloadLayout',
    'layoutNodes',
  ],
  './server': ['createFlowpulseServer', 'ConnectionManager', 'WorkflowEngine'],
};

describe('the built package', () => {
  let packed: Set<string>;

  beforeAll(() => {
    npm('run', 'build');
    const [info] = JSON.parse(npm('pack', '--dry-run', '--json', '--ignore-scripts'));
    packed = new Set(info.files.map((f: { path: string }) => f.path));
  }, 180_000);

  it('every exports target exists and is in the tarball', () => {
    const targets = Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap((t) =>
      typeof t === 'string' ? [t] : Object.values(t),
    );
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) {
      const path = target.replace(/^\.\//, '');
      expect(existsSync(join(root, path)), path).toBe(true);
      expect(packed.has(path), `${path} in the tarball`).toBe(true);
    }
    expect(packed.has('bin/flowpulse-server.js')).toBe(true);
    expect(packed.has('LICENSE')).toBe(true);
    expect(packed.has('workflows/linear-pipeline.json')).toBe(true);
    // dist/ is not committed: packing a clone (as the README says to) must build it first.
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  it("the React entries are client modules ('use client'), for React Server Components; the others can run on a server", () => {
    const directive = (entry: string) =>
      /^(["'])use client\1;/.test(readFileSync(join(root, (pkg.exports[entry] as { import: string }).import), 'utf8'));
    expect(Object.fromEntries(Object.keys(EXPECTED).map((entry) => [entry, directive(entry)]))).toEqual({
      '.': true,
      './flow': true,
      './protocol': false,
      './control': false,
      './server': false,
    });
  });

  it("protocol, control and server load on React's server side (the react-server condition, as Next.js resolves server code), control without its hook", () => {
    const load = (entry: string) =>
      execFileSync(
        process.execPath,
        ['--conditions=react-server', '-e', `import('${entry}').then((m) => console.log(Object.keys(m).sort().join(',')))`],
        { cwd: root, encoding: 'utf8' },
      ).trim();
    expect(load('flowpulse/control')).toBe('apiBaseFromSocketUrl,createWorkflowControl');
    expect(load('flowpulse/protocol')).toContain('parseServerMessage');
    expect(load('flowpulse/server')).toContain('createFlowpulseServer');
  });

  it.each(Object.entries(EXPECTED))('%s loads in plain Node and exports what the README shows', async (entry, names) => {
    const module = await import(pathToFileURL(join(root, (pkg.exports[entry] as { import: string }).import)).href);
    for (const name of names) expect(module[name], `${entry} exports ${name}`).toBeDefined();
  });

  it.each(['tsconfig.json', 'tsconfig.nodenext.json', 'tsconfig.exact.json'])(
    "an app's code type-checks against the built declarations alone (consumer.tsx, %s)",
    (config) => {
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const files = execFileSync(process.execPath, [tsc, '-p', join(root, 'test/package', config), '--listFiles'], {
        cwd: root,
        encoding: 'utf8',
      });
      // Resolved through package.json "exports" to dist/types, never to the sources.
      expect(files).toContain(join(root, 'dist/types/index.d.ts'));
      expect(files).toContain(join(root, 'dist/types/control/index.d.ts'));
      expect(files).toContain(join(root, 'dist/types/server/engine.d.ts'));
      expect(files).not.toContain(join(root, 'src/'));
      // `ws` ships no types: an app type-checking flowpulse/server with `skipLibCheck: false` must not need `@types/ws`.
      expect(files).not.toMatch(/@types[\\/]ws[\\/]/);
    },
    60_000,
  );

  it('every complete code sample in README.md type-checks against the package', () => {
    // Samples that start with an import are whole modules a user can paste; fragments are left out.
    const samples = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/^```tsx?\n(import [\s\S]*?)^```$/gm)].map((m) => m[1]!);
    expect(samples.length).toBeGreaterThanOrEqual(4);
    const dir = join(root, 'test/package/.readme');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const files = samples.map((code, i) => {
      writeFileSync(join(dir, `sample-${i + 1}.tsx`), code);
      return `sample-${i + 1}.tsx`;
    });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.nodenext.json', files }));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
    } catch (e) {
      throw new Error(`a README sample does not type-check:\n${(e as { stdout: string }).stdout}`);
    }
    rmSync(dir, { recursive: true, force: true }); // kept only when a sample fails, to look at
  }, 60_000);

  it('the JSON Schema and the stylesheet are plain files', () => {
    const schema = JSON.parse(readFileSync(join(root, pkg.exports['./schema.json']), 'utf8'));
    expect(schema.$schema).toMatch(/draft-07/);
    expect(readFileSync(join(root, pkg.exports['./styles.css']), 'utf8')).toContain('--fp-color-running');
  });
});
