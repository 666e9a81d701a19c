import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrayEngine } from '../../../test/app/tray-from-engine.ts';
import { startTrayEngine } from '../../../test/app/tray-from-engine.ts';
import { startFakeUpstream, type FakeUpstream } from '../../../test/helpers/fake-upstream/fake-upstream.ts';

// The tray warns before a limit runs out: a real engine with its usage ledger, a key with a daily limit of 5, real
// requests through the OpenAI SDK to a fake upstream on 127.0.0.1, and the tray state derived from the same
// quota.forecast view the dashboard reads.

let upstream: FakeUpstream;
let engine: TrayEngine;
let dataDir: string;

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
  dataDir = mkdtempSync(join(tmpdir(), 'switchyard-tray-quota-'));
  engine = await startTrayEngine(
    {
      providers: [
        {
          id: 'work',
          type: 'openai',
          name: 'Work OpenAI',
          baseUrl: upstream.url,
          models: ['gpt-test'],
          keys: [{ id: 'key-2', secret: { env: 'FAKE_KEY' }, limits: { perDay: 5 } }],
        },
      ],
    },
    { FAKE_KEY: 'sk-fake-tray-quota-0000' },
    { dataDir },
  );
});

afterAll(async () => {
  await engine?.stop();
  await upstream?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function send(count: number): Promise<void> {
  const client = new OpenAI({ baseURL: `${engine.running.url}/v1`, apiKey: engine.running.clientKey, maxRetries: 0 });
  for (let index = 0; index < count; index += 1) await client.chat.completions.create({ model: 'work/gpt-test', messages: [{ role: 'user', content: `hi ${index}` }] });
}

describe('the tray and the quota forecast', () => {
  it('is healthy while the daily limit is far off, and warns once the current rate reaches it within two hours', async () => {
    expect(await engine.tray()).toMatchObject({ mood: 'healthy', problems: [] });

    // 4 of 5 used within the hour: at 4 an hour the last one goes in 15 minutes; the first frees up a day after it was sent.
    await send(4);
    const forecast = await engine.running.dashboard.control.dispatch('quota.forecast', {});
    if (!forecast.ok) throw new Error(forecast.error.message);
    expect(forecast.result.rateFrom).toBe('ledger');
    const [meter] = forecast.result.credentials[0]!.meters;
    expect(meter).toMatchObject({ name: 'daily limit', source: 'guard', used: 4, limit: 5, ratePerHour: 4, state: 'soon', resetKind: 'rolling' });
    expect(meter!.runsOutAt! - forecast.result.takenAt).toBe(15 * 60_000);

    const warned = await engine.tray();
    expect(warned.mood).toBe('degraded');
    expect(warned.problems).toHaveLength(1);
    expect(warned.problems[0]).toMatch(/^Work OpenAI: key-2 reaches its daily limit around \d\d:\d\d; frees up from \d+ \w+, \d\d:\d\d \(each request counts for 24 h\)$/);
    expect(warned.headline).toBe(`Serving with problems: ${warned.problems[0]}`);
  });

  it('says the limit is used up once it is', async () => {
    await send(1);
    const state = await engine.tray();
    expect(state.mood).toBe('degraded');
    expect(state.problems).toEqual([expect.stringMatching(/^Work OpenAI: key-2 has used up its daily limit; frees up from \d+ \w+, \d\d:\d\d \(each request counts for 24 h\)$/)]);
  });
});
