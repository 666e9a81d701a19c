// The request log end to end: official SDKs talk to a real engine, which translates and sends to fake providers
// (real HTTP on 127.0.0.1 in the vendors' formats); the dashboard's channels (over HTTP, with the management token)
// turn the log on for the next requests and read the entries back. Every part is there, and no secret anywhere.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntryView } from '../../../shared/request-log-views.ts';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { temporaryDataDir } from '../../helpers/usage-events.ts';

const fakeUpstreamKey = 'fake-upstream-key-not-real-0123456789abcdef';
let openai: FakeUpstream;
let anthropic: FakeUpstream;
let running: RunningEngine;
const data = temporaryDataDir();

async function api<T>(channel: string, args: Record<string, unknown> = {}, method: 'GET' | 'POST' = 'POST'): Promise<T> {
  const response = await fetch(`${running.url}/api/${channel.replace('.', '/')}`, {
    method,
    headers: { authorization: `Bearer ${running.managementToken}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify(args) } : {}),
  });
  const body = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(`${channel}: ${response.status} ${body.error?.message}`);
  return body;
}

/** Every secret the engine holds, and the tail each masked one keeps. */
const secrets = () => [fakeUpstreamKey, running.clientKey, running.managementToken];

function expectNoSecret(entry: RequestLogEntryView): void {
  const text = JSON.stringify(entry);
  for (const secret of secrets()) expect(text).not.toContain(secret);
  // A secret split by JSON escaping would still be a leak: check the unescaped bodies too.
  for (const part of [entry.clientRequest, entry.upstreamRequest, entry.upstreamAnswer, entry.clientAnswer]) {
    for (const secret of secrets()) expect(part?.body ?? '').not.toContain(secret);
  }
}

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeUpstream('openai', { keys: [fakeUpstreamKey] }), startFakeUpstream('anthropic', { keys: [fakeUpstreamKey] })]);
  const key = [{ id: 'fake-key-1', secret: { env: 'K' } }];
  running = await startEngine(
    { providers: [{ id: 'oai', type: 'openai', baseUrl: openai.url, keys: key }, { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys: key }] },
    { env: { K: fakeUpstreamKey }, logLevel: 'error', dataDir: data.dir },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([openai?.close(), anthropic?.close()]);
  data.remove();
});

const anthropicClient = () => new Anthropic({ baseURL: running.url, apiKey: running.clientKey, maxRetries: 0 });
const openaiClient = () => new OpenAI({ baseURL: `${running.url}/v1`, apiKey: running.clientKey, maxRetries: 0 });

describe('the request log through the official SDKs', () => {
  it('is off by default, says so, and keeps nothing', async () => {
    const status = await api<{ capturing: boolean; summary: string; entries: number }>('requestLog.status', {}, 'GET');
    expect(status).toMatchObject({ capturing: false, summary: 'off', entries: 0 });
    await openaiClient().chat.completions.create({ model: 'oai/m', messages: [{ role: 'user', content: 'not logged' }] });
    expect((await api<{ entries: unknown[] }>('requestLog.list')).entries).toEqual([]);
    expect(existsSync(join(data.dir, 'request-log.db'))).toBe(true); // opened by the status call, empty
  });

  it('for the next 2 requests to one provider: an Anthropic stream translated to OpenAI has all four parts, streams as events, no secret', async () => {
    const started = await api<{ capturing: boolean; summary: string }>('requestLog.start', { requests: 2, provider: 'oai' });
    expect(started).toMatchObject({ capturing: true, summary: 'on for the next 2 requests to oai' });
    // The upstream quotes its key in its answer (some vendors do): the log must not keep it, whatever the client got.
    // (One text piece: a secret a model spells across several stream events is not recognised; docs/request-log.md.)
    openai.setHandler(() => ({ kind: 'text', text: `Your key is ${fakeUpstreamKey}, by the way.`, chunks: 1 }));
    const stream = await anthropicClient().messages.create({
      model: 'oai/m',
      max_tokens: 64,
      stream: true,
      // A client that pastes a key into its prompt: masked in every part that carries it.
      messages: [{ role: 'user', content: `Please remember ${running.clientKey}` }],
    });
    let text = '';
    for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    expect(text).toContain('Your key is');
    // A request to the other provider is not logged and does not use up the switch.
    await anthropicClient().messages.create({ model: 'claude/m', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });

    const { entries } = await api<{ entries: Array<{ id: number; provider: string; stream: boolean; status: number; clientFormat: string; upstreamFormat: string }> }>('requestLog.list');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ provider: 'oai', stream: true, status: 200, clientFormat: 'anthropic', upstreamFormat: 'openai-chat' });
    const entry = await api<RequestLogEntryView>('requestLog.read', { id: entries[0]!.id });

    expect(entry.clientRequest.line).toBe('POST /v1/messages');
    expect(JSON.parse(entry.clientRequest.body)).toMatchObject({ model: 'oai/m', stream: true });
    // This SDK version sends the key as a Bearer token; whichever header carries it, only its tail is kept.
    expect(entry.clientRequest.headers['x-api-key'] ?? entry.clientRequest.headers.authorization).toMatch(new RegExp(`^(Bearer )?\\*{4}${running.clientKey.slice(-4)}$`));
    expect(entry.clientRequest.body).toContain(`****${running.clientKey.slice(-4)}`);

    expect(entry.upstreamRequest!.line).toBe(`POST ${openai.url}/chat/completions`);
    expect(JSON.parse(entry.upstreamRequest!.body)).toMatchObject({ model: 'm', stream: true, stream_options: { include_usage: true } });
    expect(entry.upstreamRequest!.headers.authorization).toBe(`Bearer ****${fakeUpstreamKey.slice(-4)}`);

    expect(entry.upstreamAnswer!.line).toBe('200');
    expect(entry.upstreamAnswer!.events!.length).toBeGreaterThan(3);
    expect(entry.upstreamAnswer!.events!.at(-1)).toBe('data: [DONE]');
    expect(entry.upstreamAnswer!.body).toContain(`****${fakeUpstreamKey.slice(-4)}`);

    expect(entry.clientAnswer.line).toBe('200');
    expect(entry.clientAnswer.events!.some((event) => event.startsWith('event: message_start'))).toBe(true);
    expect(entry.clientAnswer.events!.at(-1)).toMatch(/^event: message_stop/);
    expect(entry.clientAnswer.omittedBytes).toBe(0);
    expectNoSecret(entry);
    // The upstream really got the key: the masking is the log's, not a broken request.
    expect(openai.requests.at(-1)!.credential).toBe(fakeUpstreamKey);
  });

  it('a whole answer, then the switch runs out and says so; clear empties the file', async () => {
    openai.setHandler(() => ({ kind: 'text', text: 'whole answer' }));
    await openaiClient().chat.completions.create({ model: 'oai/m', messages: [{ role: 'user', content: 'one more' }] });
    const status = await api<{ capturing: boolean; summary: string; entries: number }>('requestLog.status', {}, 'GET');
    expect(status).toMatchObject({ capturing: false, summary: 'off', entries: 2 });
    await openaiClient().chat.completions.create({ model: 'oai/m', messages: [{ role: 'user', content: 'not logged again' }] });
    const { entries } = await api<{ entries: Array<{ id: number }> }>('requestLog.list');
    expect(entries).toHaveLength(2);
    const whole = await api<RequestLogEntryView>('requestLog.read', { id: entries[0]!.id });
    expect(whole.clientRequest.line).toBe('POST /v1/chat/completions');
    expect(whole.clientRequest.headers.authorization).toBe(`Bearer ****${running.clientKey.slice(-4)}`);
    expect(whole.upstreamAnswer!.events).toBeNull();
    expect(JSON.parse(whole.clientAnswer.body)).toMatchObject({ choices: [{ message: { content: 'whole answer' } }] });
    expectNoSecret(whole);
    expect(statSync(join(data.dir, 'request-log.db')).mode & 0o777).toBe(0o600);

    const cleared = await api<{ entries: number }>('requestLog.clear');
    expect(cleared.entries).toBe(0);
    await expect(api('requestLog.read', { id: entries[0]!.id })).rejects.toThrow(/404.*no request-log entry/);
  });

  it('refuses a switch for a provider that does not exist, in the API\'s error shape', async () => {
    await expect(api('requestLog.start', { requests: 1, provider: 'nope' })).rejects.toThrow(/404.*no provider "nope"/);
    await expect(api('requestLog.start', { requests: 0 })).rejects.toThrow(/400.*at least 1/);
  });
});
