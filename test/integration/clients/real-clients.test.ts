import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { runToEnd } from '../../helpers/cli-process.ts';
import { temporaryFolders } from '../../helpers/temp-folders.ts';
import type { ServeProcess } from '../../helpers/serve-process.ts';
import { startServeProcess, switchyardCli } from '../../helpers/serve-process.ts';

// The acceptance of `switchyard clients configure`: the real Claude Code, Codex CLI and Gemini CLI (devDependencies,
// pinned), started with nothing but HOME in their environment, send their requests to a real `serve` process and get
// the fake provider's answer. Nothing can leave 127.0.0.1: the CLIs' own telemetry fails fast on this machine (no
// route) and every run is killed after a bounded time.

const require = createRequire(import.meta.url);
const packageFolder = (name: string) => dirname(require.resolve(`${name}/package.json`));
const answer = 'PONG from the fake provider';
const runLimitMs = 90_000;

let upstreams: Record<'anthropic' | 'openai' | 'gemini', FakeUpstream>;
let serve: ServeProcess;
const folders = temporaryFolders('real-clients');
let dataDir: string;
const baseEnv = { PATH: process.env.PATH ?? '', SWITCHYARD_SECRET_STORE: 'file' };

beforeAll(async () => {
  upstreams = { anthropic: await startFakeUpstream('anthropic'), openai: await startFakeUpstream('openai'), gemini: await startFakeUpstream('gemini') };
  upstreams.anthropic.setHandler(() => ({ kind: 'text', text: answer }));
  upstreams.openai.setHandler(() => ({ kind: 'text', text: answer }));
  upstreams.gemini.setHandler((request) => {
    // Gemini CLI first asks a small model to rate the prompt, in JSON mode; answer that in the shape it expects.
    const generation = (request.json?.generationConfig ?? {}) as { responseMimeType?: string };
    if (generation.responseMimeType === 'application/json') return { kind: 'text', text: JSON.stringify({ complexity_reasoning: 'a greeting', complexity_score: 1 }) };
    return { kind: 'text', text: answer };
  });
  dataDir = folders.makeSync();
  const config = join(dataDir, 'config.json');
  // No active combo: each tool's bare model names go to the provider of their family, passed through unchanged.
  writeFileSync(
    config,
    JSON.stringify({
      providers: [
        { id: 'anthropic', type: 'anthropic', baseUrl: upstreams.anthropic.url, keys: [{ id: 'k', secret: { env: 'FAKE_ANTHROPIC_KEY' } }] },
        { id: 'openai', type: 'openai', baseUrl: `${upstreams.openai.url}/v1`, keys: [{ id: 'k', secret: { env: 'FAKE_OPENAI_KEY' } }], openaiApi: 'responses' },
        { id: 'gemini', type: 'gemini', baseUrl: upstreams.gemini.url, keys: [{ id: 'k', secret: { env: 'FAKE_GEMINI_KEY' } }] },
      ],
    }),
  );
  serve = await startServeProcess(['--config', config, '--data-dir', join(dataDir, 'data')], {
    ...baseEnv,
    HOME: dataDir,
    FAKE_ANTHROPIC_KEY: 'fake-anthropic-key-000000000000',
    FAKE_OPENAI_KEY: 'fake-openai-key-0000000000000000',
    FAKE_GEMINI_KEY: 'fake-gemini-key-0000000000000000',
  });
});

afterAll(async () => {
  await serve?.stop();
  await Promise.all(Object.values(upstreams ?? {}).map((upstream) => upstream.close()));
  await folders.cleanup();
});

async function configure(client: string, home: string): Promise<void> {
  const result = await runToEnd(process.execPath, [switchyardCli, 'clients', 'configure', client, '--home', home, '--data-dir', join(dataDir, 'data'), '--url', serve.url], { env: { ...baseEnv, HOME: home }, timeoutMs: 30_000 });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

function freshHome(): string {
  // realpath: the CLIs compare folders by their real path (macOS /var -> /private/var).
  return realpathSync(folders.makeSync());
}

const cases = [
  {
    client: 'claude-code',
    upstream: 'anthropic' as const,
    command: () => [join(packageFolder('@anthropic-ai/claude-code'), 'bin', 'claude.exe'), '-p', 'Say pong'],
    prepare: (_home: string) => {},
  },
  {
    client: 'codex',
    upstream: 'openai' as const,
    command: () => [process.execPath, join(packageFolder('@openai/codex'), 'bin', 'codex.js'), 'exec', '--skip-git-repo-check', 'Say pong'],
    prepare: (_home: string) => {},
  },
  {
    client: 'gemini-cli',
    upstream: 'gemini' as const,
    command: () => [process.execPath, join(packageFolder('@google/gemini-cli'), 'bundle', 'gemini.js'), '-p', 'Say pong'],
    // Gemini CLI reads ~/.gemini/.env only in folders the user trusts; this user trusted their project folder.
    prepare: (home: string) => {
      mkdirSync(join(home, 'project'));
      mkdirSync(join(home, '.gemini'));
      writeFileSync(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [join(home, 'project')]: 'TRUST_FOLDER' }));
    },
  },
];

describe.each(cases)('the real $client after `switchyard clients configure`', ({ client, upstream, command, prepare }) => {
  it('sends its request to Switchyard with its own key and prints the provider answer', async () => {
    const home = freshHome();
    prepare(home);
    await configure(client, home);
    const before = upstreams[upstream].requests.length;
    const [program, ...args] = command();
    const cwd = client === 'gemini-cli' ? join(home, 'project') : home;
    const result = await runToEnd(program ?? '', args, { env: { HOME: home }, cwd, timeoutMs: runLimitMs });
    expect(result.signal, `${client} was killed after ${runLimitMs} ms; stderr: ${result.stderr.slice(-2000)}`).toBeNull();
    expect(result.stdout, result.stderr.slice(-2000)).toContain(answer);
    expect(result.code).toBe(0);
    const received = upstreams[upstream].requests.slice(before);
    expect(received.length).toBeGreaterThan(0);
    // The provider saw the provider's key, never the tool's Switchyard key.
    for (const request of received) expect(request.credential).toMatch(/^fake-/);
  });
});
