import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const external = [/^react($|\/)/, /^react-dom($|\/)/, /^@xyflow\/react/, /^zustand($|\/)/, /^@dagrejs\/dagre/, /^ws$/, /^node:/];

/** Entries whose modules use React state or effects. */
const CLIENT_ENTRIES = new Set(['index', 'flow']);

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Tests and stories import what users import.
    alias: [
      { find: /^flowpulse$/, replacement: src('index.ts') },
      { find: /^flowpulse\/(protocol|control|flow|server)$/, replacement: src('$1/index.ts') },
      { find: /^flowpulse\/styles\.css$/, replacement: src('flow/styles.css') },
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    emptyOutDir: true,
    lib: {
      formats: ['es'],
      entry: {
        index: 'src/index.ts',
        protocol: 'src/protocol/index.ts',
        control: 'src/control/index.ts',
        'control.server': 'src/control/server.ts',
        flow: 'src/flow/index.ts',
        server: 'src/server/index.ts',
        cli: 'src/server/cli.ts',
      },
    },
    rollupOptions: {
      external,
      output: {
        // React Server Components (Next.js App Router): the hooks and the canvas are client modules, so a
        // server component can render <WorkflowCanvas> or <WorkflowProvider> without a wrapper file of its
        // own. Not protocol or server, which import no React and run on the server side of React too; nor
        // control, whose `react-server` export (control.server) leaves its hook out for that side.
        banner: (chunk) => (chunk.isEntry && CLIENT_ENTRIES.has(chunk.name) ? "'use client';" : ''),
        // dagre (~17 KB min+gzip in an app) is reached two ways: the canvas import()s dagreLayout on first
        // need, and layoutNodes imports it. An app's bundler (esbuild, rolldown) loads a module an entry
        // imports statically with that entry, even if none of its exports is used, when the module is in the
        // bundle anyway (here through the import()): flow.js must never import dagreLayout's chunk. Hence
        // chunks of their own for dagreLayout (import()ed), layoutNodes (imported by flow.js; dropped with
        // dagre unless the app uses it, as `sideEffects` allows), and layout.ts, which both need and would
        // otherwise be pulled into one of them. test/package/bundle.test.ts checks the result.
        codeSplitting: {
          groups: [
            { name: 'layout', test: /src[\\/]flow[\\/]layout\.ts$/, priority: 1 },
            { name: 'dagreLayout', test: /src[\\/]flow[\\/]dagreLayout\.ts$/ },
            { name: 'layoutNodes', test: /src[\\/]flow[\\/]layoutNodes\.ts$/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20000,
    coverage: {
      provider: 'v8',
      include: ['src/core/**', 'src/protocol/**'],
      reporter: ['text', 'text-summary'],
      thresholds: { lines: 90 },
    },
  },
});
