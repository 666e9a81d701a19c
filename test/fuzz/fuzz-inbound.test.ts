import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../helpers/start-engine.ts';
import { startEngine } from '../helpers/start-engine.ts';
import type { Caller, FuzzCase } from './fuzz-requests.ts';
import { fuzzCases } from './fuzz-requests.ts';

// The fuzz suite of `npm test`: thousands of seeded, mutated requests over every inbound route and the management
// API, against a real engine and real fake upstreams of three wire formats. No answer may be a 5xx, hang, or an
// error outside the caller's own format, and every guard slot taken must be back at the end. FUZZ_SEED and
// FUZZ_CASES choose another run (`npm run fuzz` runs 50,000 by default).

const seed = Number(process.env.FUZZ_SEED ?? 20261203);
const count = Number(process.env.FUZZ_CASES ?? 5_000);
const concurrency = 8;

let upstreams: FakeUpstream[] = [];
let running: RunningEngine;

beforeAll(async () => {
  upstreams = await Promise.all([startFakeUpstream('anthropic'), startFakeUpstream('openai'), startFakeUpstream('gemini')]);
  const [anthropic, openai, gemini] = upstreams as [FakeUpstream, FakeUpstream, FakeUpstream];
  running = await startEngine(
    {
      providers: [
        { id: 'anth', type: 'anthropic', baseUrl: anthropic.url, keys: [{ id: 'k', secret: { env: 'A_KEY' } }] },
        { id: 'oai', type: 'openai', baseUrl: openai.url, keys: [{ id: 'k', secret: { env: 'O_KEY' } }] },
        { id: 'gem', type: 'gemini', baseUrl: gemini.url, keys: [{ id: 'k', secret: { env: 'G_KEY' } }] },
      ],
      combos: [{ name: 'mixed', targets: ['oai/gpt-fuzz', 'anth/claude-fuzz'] }],
    },
    { env: { A_KEY: 'fake-anthropic-key-fuzz-000000', O_KEY: 'fake-openai-key-fuzz-000000', G_KEY: 'fake-gemini-key-fuzz-000000' }, logLevel: 'error' },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

function hasCallersShape(caller: Caller, json: unknown): boolean {
  const error = (json as { error?: Record<string, unknown> } | null)?.error;
  if (typeof error !== 'object' || error === null || typeof error.message !== 'string') return false;
  const anthropic = (json as { type?: unknown }).type === 'error' && typeof error.type === 'string';
  const openai = typeof error.type === 'string' || error.type === undefined;
  const gemini = typeof error.code === 'number' && typeof error.status === 'string';
  const management = typeof error.code === 'string';
  switch (caller) {
    case 'anthropic':
      return anthropic;
    case 'openai':
      return openai && !anthropic && !gemini;
    case 'gemini':
      return gemini;
    case 'management':
      return management;
    default:
      return anthropic || openai || gemini;
  }
}

/** One case: answered within the bound, never 5xx, errors in the caller's shape. A string is the problem found. */
async function check(url: string, fuzzCase: FuzzCase): Promise<string | undefined> {
  let answer: Response;
  let text: string;
  try {
    answer = await fetch(`${url}${fuzzCase.path}`, { method: fuzzCase.method, headers: fuzzCase.headers, body: fuzzCase.body, signal: AbortSignal.timeout(15_000) });
    // The management event stream stays open by design: that it opened is the answer.
    if (fuzzCase.caller === 'management' && answer.ok && answer.headers.get('content-type')?.startsWith('text/event-stream')) {
      await answer.body?.cancel();
      return undefined;
    }
    text = await answer.text();
  } catch (error) {
    return `no answer (${(error as Error).name}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message})`;
  }
  if (answer.status >= 500) return `${answer.status}: ${text.slice(0, 200)}`;
  if (answer.status < 400) return undefined;
  if (answer.status === 405 && fuzzCase.method === 'HEAD') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `${answer.status} with a body that is not JSON: ${text.slice(0, 120)}`;
  }
  return hasCallersShape(fuzzCase.caller, json) ? undefined : `${answer.status} not in the ${fuzzCase.caller} error shape: ${text.slice(0, 200)}`;
}

it(`survives ${count} fuzzed requests (seed ${seed}) with no 5xx, no hang, errors in the caller's format, and no slot left taken`, { timeout: 600_000 }, async () => {
  const cases = fuzzCases(seed, count, ['anth/claude-fuzz', 'oai/gpt-fuzz', 'gem/gemini-fuzz', 'mixed'], { client: running.clientKey, management: running.managementToken });
  const problems: string[] = [];
  const kinds = new Set<string>();
  let index = 0;
  let sent = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const next = cases.next();
      if (next.done) return;
      const number = index++;
      const problem = await check(running.url, next.value);
      sent++;
      // One line per kind of problem (the first case that showed it), so a report stays readable.
      const kind = problem?.replace(/\d+/gu, 'N').slice(0, 80);
      if (problem && kind && !kinds.has(kind) && problems.length < 40) {
        kinds.add(kind);
        problems.push(`#${number} ${next.value.what}: ${problem}`);
      }
      // The fakes keep every request they saw; forget them as we go so a long run stays small.
      if (number % 200 === 0) for (const upstream of upstreams) upstream.requests.length = 0;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  expect(sent).toBe(count);
  expect(problems).toEqual([]);

  let busy: string[] = [];
  for (let tries = 0; tries < 100; tries++) {
    const snapshot = running.engine.guard.snapshot();
    busy = snapshot.providers.flatMap((provider) => [
      ...(provider.inFlight > 0 || provider.queueDepth > 0 ? [`${provider.id}: ${provider.inFlight} in flight, ${provider.queueDepth} queued`] : []),
      ...provider.keys.filter((key) => key.inFlight > 0).map((key) => `${provider.id}/${key.id}: ${key.inFlight} in flight`),
    ]);
    if (busy.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(busy).toEqual([]);
  const health = await fetch(`${running.url}/health`);
  expect(health.status).toBe(200);
});
