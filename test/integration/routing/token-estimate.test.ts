import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { estimateInputTokens } from '../../../main/core/formats/estimate-tokens.ts';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// One estimator: the count_tokens estimate a client sees is the number the longContext scenario rule compares with
// its threshold, for a real Claude Code request (tools, system blocks, thinking).

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/real-client-requests/claude-tool/001-POST-v1_messages.json', import.meta.url), 'utf8')) as {
  body: Record<string, unknown>;
};
const body = { ...recorded.body, stream: false };
const env = { KS: 'fake-openai-small-key-000000000000', KL: 'fake-openai-large-key-000000000000' };

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

async function upstream(): Promise<FakeUpstream> {
  const started = await startFakeUpstream('openai');
  stops.push(() => started.close());
  return started;
}

async function engine(small: FakeUpstream, large: FakeUpstream, thresholdTokens: number): Promise<RunningEngine> {
  const running = await startEngine(
    {
      providers: [
        { id: 'small', type: 'openai', baseUrl: small.url, keys: [{ id: 'k', secret: { env: 'KS' } }] },
        { id: 'large', type: 'openai', baseUrl: large.url, keys: [{ id: 'k', secret: { env: 'KL' } }] },
      ],
      combos: [{ name: 'main', targets: ['small/gpt-5'] }],
      activeCombo: 'main',
      scenarios: { longContext: { target: 'large/gpt-5-long', thresholdTokens } },
    },
    { env },
  );
  stops.push(() => running.stop());
  return running;
}

async function post(running: RunningEngine, path: string, payload: Record<string, unknown>): Promise<Response> {
  return fetch(`${running.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': running.clientKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(10_000),
  });
}

describe('one token estimate', () => {
  it('count_tokens answers with the estimate the longContext rule routes by', async () => {
    const [small, large] = [await upstream(), await upstream()];
    const expected = estimateInputTokens('anthropic', body);
    expect(expected).toBeGreaterThan(5_000); // a real Claude Code request, not a toy

    const below = await engine(small, large, expected - 1);
    const counted = await post(below, '/v1/messages/count_tokens', { ...body, model: 'small/gpt-5' });
    expect(counted.status).toBe(200);
    expect(counted.headers.get('x-switchyard-token-count')).toBe('estimate');
    expect(await counted.json()).toEqual({ input_tokens: expected });

    const routedLong = await post(below, '/v1/messages', { ...body, model: 'claude-opus-4-5' });
    expect(routedLong.status).toBe(200);
    expect(routedLong.headers.get('x-switchyard-target')).toBe('large/gpt-5-long');

    const atThreshold = await engine(small, large, expected);
    const routedShort = await post(atThreshold, '/v1/messages', { ...body, model: 'claude-opus-4-5' });
    expect(routedShort.status).toBe(200);
    expect(routedShort.headers.get('x-switchyard-target')).toBe('small/gpt-5');
  });
});
