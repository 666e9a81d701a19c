// ESLint flat config. Besides the usual TypeScript checks it enforces Switchyard's layering
// (see docs/architecture.md): shared <- main/core <- main/app, shared <- preload, shared <- renderer.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const electronOnlyInShell = { name: 'electron', message: "Only main/app and preload may import 'electron'; the engine runs headless." };
const noNode = nodeModules.map((name) => ({ name, message: 'shared/ and renderer/ run in the browser too: no Node modules here.' }));

/** @param {string[]} extraPatterns */
function restrict(paths, extraPatterns = []) {
  return ['error', { paths, patterns: extraPatterns }];
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'coverage/**', 'test-results/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': restrict([electronOnlyInShell]),
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([electronOnlyInShell], [
        { group: ['**/main/app/**', '../app/**', '../../app/**'], message: 'The engine never imports the Electron shell.' },
        { group: ['**/renderer/**'], message: 'The engine never imports the renderer.' },
      ]),
    },
  },
  {
    files: ['main/core/formats/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([electronOnlyInShell], [
        { group: ['**/providers/**'], message: 'Formats never import providers.' },
        { group: ['**/main/app/**'], message: 'The engine never imports the Electron shell.' },
      ]),
    },
  },
  // Providers never import each other: each provider folder may only import its own files and shared parts.
  ...['anthropic', 'openai', 'gemini', 'openrouter', 'ollama', 'openai-compatible', 'anthropic-compatible'].map((provider) => ({
    files: [`main/core/providers/${provider}/**/*.ts`],
    rules: {
      'no-restricted-imports': restrict([electronOnlyInShell], [
        {
          group: ['anthropic', 'openai', 'gemini', 'openrouter', 'ollama', 'openai-compatible', 'anthropic-compatible']
            .filter((other) => other !== provider)
            .map((other) => `../${other}/*`),
          message: 'Providers never import each other; put shared pieces in main/core/providers/common/.',
        },
        { group: ['**/main/app/**'], message: 'The engine never imports the Electron shell.' },
      ]),
    },
  })),
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([electronOnlyInShell, ...noNode], [
        { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'shared/ depends on nothing of the app.' },
      ]),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict([electronOnlyInShell, ...noNode], [
        { group: ['**/main/**', '**/preload/**'], message: 'The renderer talks to main only through the typed API in shared/.' },
      ]),
    },
  },
  {
    files: ['main/app/**/*.ts', 'preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
