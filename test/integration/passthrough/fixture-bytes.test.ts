import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Every real request body recorded from Claude Code, Codex and Gemini CLI must reach a same-format upstream
// byte-for-byte equal except the model name and the auth header.

const fixturesRoot = join(import.meta.dirname, '..', '..', 'fixtures', 'real-client-requests');
interface Fixture {
  name: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
const fixtures: Fixture[] = readdirSync(fixturesRoot).flatMap((folder) =>
  readdirSync(join(fixturesRoot, folder)).map((file) => ({ name: `${folder}/${file}`, ...JSON.parse(readFileSync(join(fixturesRoot, folder, file), 'utf8')) })),
);

let upstreams: Record<'anthropic' | 'openai' | 'gemini', FakeUpstream>;
let running: RunningEngine;

beforeAll(async () => {
  const [anthropic, openai, gemini] = await Promise.all([startFakeUpstream('anthropic'), startFakeUpstream('openai'), startFakeUpstream('gemini')]);
  upstreams = { anthropic, openai, gemini };
  running = await startEngine(
    {
      providers: [
        { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys: [{ id: 'k', secret: { env: 'A' } }] },
        { id: 'oai', type: 'openai', baseUrl: openai.url, keys: [{ id: 'k', secret: { env: 'O' } }] },
        { id: 'gem', type: 'gemini', baseUrl: gemini.url, keys: [{ id: 'k', secret: { env: 'G' } }] },
      ],
    },
    { env: { A: 'fake-ant-upstream-aaaaaaaaaaaaaaaa', O: 'sk-upstream-oooooooooooooooooo', G: 'AIza-upstream-gggggggggggggggg' } },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all(Object.values(upstreams ?? {}).map((upstream) => upstream.close()));
});

function upstreamFor(path: string): { upstream: () => FakeUpstream; provider: string } {
  if (path.startsWith('/v1/messages')) return { upstream: () => upstreams.anthropic, provider: 'claude' };
  if (path.startsWith('/v1/responses')) return { upstream: () => upstreams.openai, provider: 'oai' };
  return { upstream: () => upstreams.gemini, provider: 'gem' };
}

describe('real client bodies pass through unchanged', () => {
  it('has fixtures from all three clients', () => {
    expect(fixtures.map((fixture) => fixture.name.split('-')[0])).toEqual(expect.arrayContaining(['claude', 'codex', 'gemini']));
  });

  for (const fixture of fixtures) {
    // Two serialisations: compact and indented. Passthrough must keep whatever bytes the client sent.
    for (const indent of [0, 2]) {
      it(`${fixture.name} (${indent === 0 ? 'compact' : 'indented'})`, async () => {
        const { upstream, provider } = upstreamFor(fixture.path);
        const isGemini = fixture.path.startsWith('/v1beta');
        const clientBytes = JSON.stringify(fixture.body, null, indent);
        const originalModel = isGemini ? undefined : (fixture.body.model as string);
        // Clients name the model as provider-id/model; upstream must receive only the model part.
        const sentBody = isGemini ? clientBytes : clientBytes.replace(JSON.stringify(originalModel), JSON.stringify(`${provider}/${originalModel}`));
        const path = isGemini ? fixture.path.replace('/models/', `/models/${provider}/`) : fixture.path;
        const query = new URLSearchParams(fixture.query).toString();
        const response = await fetch(`${running.url}${path}${query ? `?${query}` : ''}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(path.startsWith('/v1/messages') ? { 'x-api-key': running.clientKey, 'anthropic-version': fixture.headers['anthropic-version'] ?? '2023-06-01', 'anthropic-beta': fixture.headers['anthropic-beta'] ?? '' } : {}),
            ...(path.startsWith('/v1/responses') ? { authorization: `Bearer ${running.clientKey}` } : {}),
            ...(isGemini ? { 'x-goog-api-key': running.clientKey } : {}),
          },
          body: sentBody,
        });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        const received = upstream().requests.at(-1)!;
        expect(received.body.toString('utf8')).toBe(clientBytes);
        expect(received.credential).not.toBe(running.clientKey);
        if (isGemini) expect(received.model).toBe('gemini-2.5-flash');
        if (fixture.headers['anthropic-beta']) expect(received.headers['anthropic-beta']).toBe(fixture.headers['anthropic-beta']);
      });
    }
  }
});
