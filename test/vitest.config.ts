import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// One vitest run, several projects. `npm test` (test/run-tests.sh) runs them all inside a D-Bus session
// with an unlocked gnome-keyring so the keychain project talks to a real Secret Service.
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    projects: [
      {
        test: {
          name: 'unit',
          root,
          // test/soak: only the soak script's pure parts (the soak itself is `npm run soak`; a 10 s run of it is in
          // the integration project, test/integration/soak/).
          include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'preload/**/*.test.ts', 'build/**/*.test.ts', 'test/soak/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          root,
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'fuzz',
          root,
          include: ['test/fuzz/**/*.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          // The Electron shell against a fake electron module and real engines on 127.0.0.1 (never the real 'electron').
          name: 'app',
          root,
          include: ['test/app/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'keychain',
          root,
          include: ['test/keychain/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root,
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'packaging',
          root,
          include: ['test/packaging/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
