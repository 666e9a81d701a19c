import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchyardConfigInput } from '../../../shared/config/config-schema.ts';
import type { ReloadOutcome } from '../../../main/core/config/watch-config-file.ts';
import { watchConfigFile } from '../../../main/core/config/watch-config-file.ts';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { MemorySettingsStore } from '../../../main/core/settings/settings-store.ts';

// Switching without a restart: combos.activate (POST /api/combos/activate) while streams are running, and edits to
// the config file.

let a: FakeUpstream;
let b: FakeUpstream;
const env = { KA: 'fake-ant-live-switch-key-aaaaaaaaaaaa', KB: 'fake-ant-live-switch-key-bbbbbbbbbbbb' };
const slowText = 'one two three four five six seven eight nine ten eleven twelve';

beforeAll(async () => {
  a = await startFakeUpstream('anthropic');
  b = await startFakeUpstream('anthropic');
  for (const upstream of [a, b]) upstream.setHandler(() => ({ kind: 'text', text: slowText, chunks: 12, chunkDelayMs: 40 }));
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

function config(activeCombo: string): SwitchyardConfigInput {
  return {
    providers: [
      { id: 'a', type: 'anthropic', baseUrl: a.url, keys: [{ id: 'ka', secret: { env: 'KA' } }], limits: { maxConcurrent: 64 } },
      { id: 'b', type: 'anthropic', baseUrl: b.url, keys: [{ id: 'kb', secret: { env: 'KB' } }], limits: { maxConcurrent: 64 } },
    ],
    combos: [
      { name: 'use-a', targets: ['a'] },
      { name: 'use-b', targets: ['b'] },
    ],
    activeCombo,
  };
}

async function stream(running: RunningEngine, model = 'claude-sonnet-4-5') {
  const response = await fetch(`${running.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': running.clientKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'count' }] }),
  });
  return { status: response.status, target: response.headers.get('x-switchyard-target'), body: await response.text() };
}

function textOf(sse: string): string {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as { type: string; delta?: { text?: string } })
    .filter((event) => event.type === 'content_block_delta')
    .map((event) => event.delta?.text ?? '')
    .join('');
}

async function management(running: RunningEngine, method: string, path: string, body?: unknown) {
  const response = await fetch(`${running.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${running.managementToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function waitFor(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('combos.activate', () => {
  it('switching during 20 concurrent streams breaks none of them; new requests use the new combo', async () => {
    const running = await startEngine(config('use-a'), { env });
    try {
      a.requests.length = 0;
      b.requests.length = 0;
      const streams = Array.from({ length: 20 }, () => stream(running));
      await waitFor(() => a.requests.length === 20);

      const switched = await management(running, 'POST', '/api/combos/activate', { name: 'use-b' });
      expect(switched).toMatchObject({ status: 200, json: { activeCombo: 'use-b' } });

      const after = await stream(running);
      const results = await Promise.all(streams);
      for (const result of results) {
        expect(result.status).toBe(200);
        expect(result.target).toBe('a/claude-sonnet-4-5');
        expect(result.body).toContain('event: message_stop');
        expect(textOf(result.body)).toBe(slowText);
      }
      expect(after.target).toBe('b/claude-sonnet-4-5');
      expect(textOf(after.body)).toBe(slowText);
      expect(a.requests).toHaveLength(20);
      expect(b.requests).toHaveLength(1);
      expect(a.closedByClient).toBe(0);
    } finally {
      await running.stop();
    }
  });

  it('reads back, refuses unknown combos, and clears with null', async () => {
    const running = await startEngine(config('use-a'), { env });
    try {
      expect((await management(running, 'GET', '/api/combos/list')).json).toMatchObject({ activeCombo: 'use-a', combos: [{ name: 'use-a', active: true }, { name: 'use-b', active: false }] });
      const unknown = await management(running, 'POST', '/api/combos/activate', { name: 'nope' });
      expect(unknown.status).toBe(404);
      expect((unknown.json.error as { message: string }).message).toBe('There is no combo "nope".');
      expect((await management(running, 'POST', '/api/combos/activate', { name: 7 })).status).toBe(400);
      expect((await management(running, 'POST', '/api/combos/activate', { name: null })).json).toMatchObject({ activeCombo: null });
      expect(running.engine.config.activeCombo).toBeUndefined();
      const unauthenticated = await fetch(`${running.url}/api/combos/activate`, { method: 'POST', body: '{"name":"use-b"}' });
      expect(unauthenticated.status).toBe(401);
    } finally {
      await running.stop();
    }
  });

  it('with writable settings the switch is also saved, so it survives a restart', async () => {
    const settings = new MemorySettingsStore(config('use-a'));
    const running = await startEngine(config('use-a'), { env, settings });
    try {
      expect((await management(running, 'POST', '/api/combos/activate', { name: 'use-b' })).status).toBe(200);
      expect(running.engine.config.activeCombo).toBe('use-b');
      expect(settings.writes).toBe(1);
      expect(((await settings.read()) as { config: { activeCombo?: string } }).config.activeCombo).toBe('use-b');
      expect((await stream(running)).target).toBe('b/claude-sonnet-4-5');
    } finally {
      await running.stop();
    }
  });

  it('the dry-run resolver shows where a request would go', async () => {
    const running = await startEngine({ ...config('use-a'), scenarios: { background: { target: 'b/claude-haiku-4-5' } } }, { env });
    try {
      const plan = await management(running, 'POST', '/api/routing/resolve', { model: 'claude-3-5-haiku-latest', format: 'anthropic', body: { messages: [] } });
      expect(plan.json).toMatchObject({ route: 'scenario:background', targets: [{ providerId: 'b', model: 'claude-haiku-4-5', combos: [], keyIds: null }] });
      const invalid = await management(running, 'POST', '/api/routing/resolve', { model: '' });
      expect(invalid.status).toBe(400);
    } finally {
      await running.stop();
    }
  });
});

describe('the config file is watched', () => {
  it('a valid edit applies live; an invalid one is refused with its errors and the old config keeps serving', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-watch-'));
    const path = join(directory, 'config.json');
    const write = (value: unknown) => writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    write(config('use-a'));
    const running = await startEngine(config('use-a'), { env });
    const outcomes: ReloadOutcome[] = [];
    const watcher = watchConfigFile(path, running.engine, running.engine.logger, { debounceMs: 30, onReload: (outcome) => outcomes.push(outcome) });
    const next = async () => {
      const count = outcomes.length;
      await waitFor(() => outcomes.length > count);
      return outcomes.at(-1)!;
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      write(config('use-b'));
      expect(await next()).toEqual({ kind: 'applied' });
      expect((await stream(running)).target).toBe('b/claude-sonnet-4-5');

      write('{ "providers": [ ');
      const broken = await next();
      expect(broken.kind).toBe('refused');
      expect(running.logs.some((line) => /refused; the previous config keeps serving/.test(line) && /not valid JSON/.test(line))).toBe(true);
      expect((await stream(running)).target).toBe('b/claude-sonnet-4-5');

      write({ ...config('use-b'), combos: [{ name: 'use-a', targets: ['ghost/model'] }] });
      const dangling = await next();
      expect(dangling.kind === 'refused' && dangling.problems.join('\n')).toMatch(/"ghost\/model" names no provider/);

      const missingSecret = config('use-a');
      (missingSecret.providers![0] as { keys: unknown[] }).keys = [{ id: 'ka', secret: { env: 'NOT_SET_ANYWHERE' } }];
      write(missingSecret);
      const unresolvable = await next();
      expect(unresolvable.kind === 'refused' && unresolvable.problems.join('\n')).toMatch(/NOT_SET_ANYWHERE is not set/);
      expect(running.engine.config.activeCombo).toBe('use-b');

      // A combo switched at run time survives file edits that leave the file's own activeCombo alone.
      await management(running, 'POST', '/api/combos/activate', { name: 'use-a' });
      write({ ...config('use-b'), aliases: { sonnet: 'b/claude-sonnet-4-5' } });
      expect(await next()).toEqual({ kind: 'applied' });
      expect(running.engine.config.activeCombo).toBe('use-a');
      expect(running.engine.config.aliases).toEqual({ sonnet: 'b/claude-sonnet-4-5' });
    } finally {
      watcher.close();
      await running.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
