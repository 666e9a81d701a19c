// This file runs in Node at build time (not in the page), so it may use Node's url module.
// eslint-disable-next-line no-restricted-imports
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard. Self-contained so the app build (build/scripts/build.ts) only runs
// `vite build --config renderer/vite.config.ts`. `base: './'` makes the output work both from file:// in the desktop
// app and under /ui/ when the engine serves it in web mode.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ command }) => {
  // A build is always production React, even when started from a test runner that set NODE_ENV=test.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2023',
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1' },
  logLevel: 'warn',
  };
});
