import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const external = [/^react($|\/)/, /^react-dom($|\/)/, /^@xyflow\/react/, /^zustand($|\/)/, /^@dagrejs\/dagre/, /^ws$/, /^node:/];

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
        flow: 'src/flow/index.ts',
        server: 'src/server/index.ts',
        cli: 'src/server/cli.ts',
      },
    },
    rollupOptions: { external },
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
