// ESLint flat config. Besides the usual TypeScript checks it enforces Switchyard's layering
// (see docs/architecture.md): shared <- main/core <- main/app, shared <- preload, shared <- renderer.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { engineLayers } from './checks/engine-layers.js';

const nodeModules = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const electronOnlyInShell = { name: 'electron', message: "Only main/app and preload may import 'electron'; the engine runs headless." };
const noNode = nodeModules.map((name) => ({ name, message: 'shared/ and renderer/ run in the browser too: no Node modules here.' }));

const engineBans = [
  { group: ['**/main/app/**', '../app/**', '../../app/**'], message: 'The engine never imports the Electron shell.' },
  { group: ['**/renderer/**'], message: 'The engine never imports the renderer.' },
];


/** Temporary exceptions: [importing folder, imported folder]. None today; each one added needs its reason. */
const layerExceptions = [];

/** @param {keyof typeof engineLayers} folder */
function layerBans(folder) {
  const layer = engineLayers[folder];
  const higher = Object.entries(engineLayers)
    .filter(([other, otherLayer]) => other !== folder && otherLayer >= layer)
    .filter(([other]) => !layerExceptions.some(([from, to]) => from === folder && to === other))
    .map(([other]) => other);
  if (higher.length === 0) return [];
  return [
    {
      regex: `^(\\.\\./)+(${higher.join('|')})/`,
      message: `main/core/${folder} imports only folders of lower engine layers (engineLayers in build/eslint.config.js), not ${higher.join(", ")}.`,
    },
  ];
}

const providerFolders = ['anthropic', 'openai', 'gemini', 'openrouter', 'ollama', 'openai-compatible', 'anthropic-compatible'];

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
    rules: { 'no-restricted-imports': restrict([electronOnlyInShell], engineBans) },
  },
  // The sub-layers of the engine: each folder imports only folders of lower layers (tests may reach further).
  ...Object.keys(engineLayers).map((folder) => ({
    files: [`main/core/${folder}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': restrict([electronOnlyInShell], [...engineBans, ...layerBans(folder)]) },
  })),
  // Providers never import each other: each provider folder may only import its own files and shared parts.
  ...providerFolders.map((provider) => ({
    files: [`main/core/providers/${provider}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([electronOnlyInShell], [
        ...engineBans,
        ...layerBans('providers'),
        {
          group: providerFolders.filter((other) => other !== provider).map((other) => `../${other}/*`),
          message: 'Providers never import each other; put shared pieces in main/core/providers/common/.',
        },
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
