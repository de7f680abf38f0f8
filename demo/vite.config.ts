import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const src = (p: string) => fileURLToPath(new URL(`../src/${p}`, import.meta.url));

// The demo imports only the package's public entry points; these aliases point them at the sources.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^flowpulse$/, replacement: src('index.ts') },
      { find: /^flowpulse\/(protocol|control|flow)$/, replacement: src('$1/index.ts') },
      { find: /^flowpulse\/styles\.css$/, replacement: src('flow/styles.css') },
    ],
  },
  build: { outDir: fileURLToPath(new URL('../dist/demo', import.meta.url)), emptyOutDir: true },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8000', ws: true } } },
});
