import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchyardConfigInput } from '../../../shared/config/config-schema.ts';
import type { FakeUpstream } from '../../../test/helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../../test/helpers/fake-upstream/fake-upstream.ts';
import type { TrayEngine } from '../../../test/app/tray-from-engine.ts';
import { startTrayEngine } from '../../../test/app/tray-from-engine.ts';
import { systemClock } from '../../core/guard/clock.ts';
import { createExecutionGuard } from '../../core/guard/execution-guard.ts';
import { RedisStateStore } from '../../core/guard/shared-state/redis-state-store.ts';

// The tray's state from a real engine's views (the same ones the dashboard shows), for the states a user meets.

const env = {
  ANT_MAIN: 'fake-ant-tray-key-main-00000000001',
  ANT_SPARE: 'fake-ant-tray-key-spare-0000000002',
  ANT_REVOKED: 'fake-ant-tray-key-revoked-00000003',
  FLAKY_KEY: 'fake-ant-tray-key-flaky-0000000004',
};

let anthropicUpstream: FakeUpstream;
let flakyUpstream: FakeUpstream;
let ollamaUpstream: FakeUpstream;
const engines: TrayEngine[] = [];

beforeAll(async () => {
  anthropicUpstream = await startFakeUpstream('anthropic', { keys: [env.ANT_MAIN, env.ANT_SPARE] });
  flakyUpstream = await startFakeUpstream('anthropic');
  ollamaUpstream = await startFakeUpstream('ollama', { models: ['qwen3:8b'] });
});

afterAll(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const upstream of [anthropicUpstream, flakyUpstream, ollamaUpstream]) await upstream?.close();
});

function setup(): SwitchyardConfigInput {
  return {
    providers: [
      {
        id: 'claude',
        type: 'anthropic',
        name: 'Anthropic',
        baseUrl: anthropicUpstream.url,
        keyStrategy: 'fill-first',
        keys: [
          { id: 'main', secret: { env: 'ANT_MAIN' } },
          { id: 'spare', secret: { env: 'ANT_SPARE' } },
        ],
      },
      { id: 'local', type: 'ollama', baseUrl: ollamaUpstream.url, models: ['qwen3:8b'] },
    ],
    combos: [
      { name: 'fast', targets: ['local/qwen3:8b'] },
      { name: 'smart', targets: ['claude/claude-sonnet-4-5'] },
    ],
    activeCombo: 'fast',
  };
}

async function start(config: SwitchyardConfigInput = setup()): Promise<TrayEngine> {
  const engine = await startTrayEngine(config, env);
  engines.push(engine);
  return engine;
}

function client(engine: TrayEngine): Anthropic {
  return new Anthropic({ baseURL: engine.running.url, apiKey: engine.running.clientKey, maxRetries: 0 });
}

async function ask(engine: TrayEngine, model: string): Promise<void> {
  await client(engine)
    .messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
    .catch(() => undefined);
}

describe('the tray state of a real engine', () => {
  it('is healthy when serving and every key is ready; a keyless Ollama is ready, not "no keys"', async () => {
    const engine = await start();
    const state = await engine.tray();
    expect(state.mood).toBe('healthy');
    expect(state.headline).toBe('Serving, all providers ready');
    expect(state.endpoint).toBe(engine.running.url);
    expect(state.problems).toEqual([]);
    expect(state.providers).toEqual([
      { id: 'claude', name: 'Anthropic', health: 'healthy', detail: '2 of 2 keys ready' },
      { id: 'local', name: 'local', health: 'healthy', detail: 'ready' },
    ]);
    expect(state.combos).toEqual(['fast', 'smart']);
    expect(state.activeCombo).toBe('fast');
    await ask(engine, 'local/qwen3:8b');
    expect((await engine.tray()).providers[1]).toEqual({ id: 'local', name: 'local', health: 'healthy', detail: 'ready' });
  });

  it('is degraded while a key cools down after a 429, and says when it comes back', async () => {
    const engine = await start();
    anthropicUpstream.setHandler((request) => (request.credential === env.ANT_MAIN ? { kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '42' } } : { kind: 'text' }));
    try {
      await ask(engine, 'claude/claude-sonnet-4-5');
    } finally {
      anthropicUpstream.setHandler(() => ({ kind: 'text' }));
    }
    const state = await engine.tray();
    expect(state.mood).toBe('degraded');
    expect(state.problems).toEqual([expect.stringMatching(/^Anthropic: key main \(…0001\) cooling down, back in \d+ s$/)]);
    expect(state.headline).toBe(`Serving with problems: ${state.problems[0]}`);
    expect(state.providers[0]).toEqual({ id: 'claude', name: 'Anthropic', health: 'degraded', detail: '1 of 2 keys ready' });
  });

  it('marks a provider down when its only key is refused, naming the key and the reason', async () => {
    const config = setup();
    config.providers![0]!.keys = [{ id: 'revoked', secret: { env: 'ANT_REVOKED' } }];
    const engine = await start(config);
    await ask(engine, 'claude/claude-sonnet-4-5');
    const state = await engine.tray();
    expect(state.providers[0]).toMatchObject({ health: 'down', detail: '0 of 1 key ready' });
    expect(state.problems).toEqual([expect.stringMatching(/^Anthropic: key revoked \(…0003\) disabled \(.*401.*\)$/)]);
  });

  it('shows an open breaker as failing with the next try, and the provider as down', async () => {
    const config: SwitchyardConfigInput = {
      providers: [{ id: 'flaky', type: 'anthropic', baseUrl: flakyUpstream.url, keys: [{ id: 'k', secret: { env: 'FLAKY_KEY' } }], breaker: { failureThreshold: 1, cooldownMs: 60_000 }, retry: { maxAttempts: 1 } }],
    };
    flakyUpstream.setHandler(() => ({ kind: 'error', status: 500, message: 'upstream broke' }));
    const engine = await start(config);
    await ask(engine, 'flaky/claude-sonnet-4-5');
    const state = await engine.tray();
    expect(state.providers[0]).toMatchObject({ id: 'flaky', health: 'down' });
    expect(state.providers[0]!.detail).toMatch(/failing, next try in \d+ (s|min)/);
    expect(state.problems.some((problem) => /^flaky: (failing, requests paused|key k \(…0004\) failing)/.test(problem))).toBe(true);
  });

  it('shows a provider switched off as off, and says so when every provider is off', async () => {
    const config = setup();
    for (const provider of config.providers!) provider.enabled = false;
    const engine = await start({ ...config, combos: [], activeCombo: undefined });
    const state = await engine.tray();
    expect(state.providers.map((provider) => [provider.health, provider.detail])).toEqual([
      ['disabled', 'switched off'],
      ['disabled', 'switched off'],
    ]);
    expect(state.problems).toEqual(['every provider is switched off']);
    expect(state.activeCombo).toBeUndefined();
  });

  it('adds problems outside the views, such as an unreachable keychain', async () => {
    const engine = await start();
    const state = await engine.tray({ appProblems: ['the OS keychain cannot be reached'] });
    expect(state.mood).toBe('degraded');
    expect(state.problems).toEqual(['the OS keychain cannot be reached']);
  });

  it('is degraded with the reason when the guard state should be shared and Redis cannot be reached', async () => {
    // A real shared-state store pointed at a port nobody listens on: it falls back to the local guard and says why.
    const store = new RedisStateStore({ url: 'redis://127.0.0.1:1', keyPrefix: 'switchyard-tray-test', clock: systemClock });
    try {
      for (let tries = 0; tries < 100 && store.status().warning === undefined; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
      const engine = await startTrayEngine(setup(), env, { guard: createExecutionGuard({ sharedState: store }) });
      engines.push(engine);
      const state = await engine.tray();
      expect(state.mood).toBe('degraded');
      expect(state.problems).toEqual([expect.stringMatching(/^guard state not shared: /u)]);
      const view = await engine.running.dashboard.control.dispatch('guard.snapshot', {});
      expect(view.ok && view.result.sharedState).toMatchObject({ mode: 'local', instances: 1, warning: expect.stringMatching(/^guard state not shared: /u) });
    } finally {
      await store.close();
    }
  });

  it('says so when there are no providers yet', async () => {
    const engine = await start({});
    expect(await engine.tray()).toMatchObject({ mood: 'healthy', headline: 'Serving, but no providers yet', providers: [], combos: [] });
  });

  it.each([
    [{ state: 'starting', message: null }, 'starting', 'Starting…'],
    [{ state: 'paused', message: null }, 'paused', 'Paused: tools get no answers'],
    [{ state: 'pausing', message: null }, 'paused', 'Pausing…'],
    [{ state: 'stopping', message: null }, 'paused', 'Stopping…'],
    [{ state: 'failed', message: 'Port 8787 is already in use.\nmore detail' }, 'failed', 'Not serving: Port 8787 is already in use.'],
  ] as const)('maps %j to the %s mood', async (serving, mood, headline) => {
    const engine = engines[0] ?? (await start());
    const state = await engine.tray({ serving });
    expect(state.mood).toBe(mood);
    expect(state.headline).toBe(headline);
    expect(state.endpoint).toBeUndefined();
    expect(state.load).toEqual({ inFlight: 0, waiting: 0 });
    if (serving.state === 'failed') expect(state.problems).toEqual([serving.message]);
  });
});
