import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic, askOpenai, startGuardedEngine, waitFor } from './guarded-engine.ts';
import { startLimitedUpstream } from './limited-upstream.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, item 3i: a full queue, or a wait longer than maxWaitMs, gives the client a clear 429 with retry-after,
// in the client's own error format.

const start = Date.UTC(2026, 0, 1);
let engine: GuardedEngine | undefined;

afterEach(stopEverythingStarted);

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

async function setup(clock: ManualClock) {
  const claude = await startLimitedUpstream('anthropic', { now: () => clock.now(), keys: { 'fake-ant-queue-key-0000000000000001': 'k' } });
  const gpt = await startLimitedUpstream('openai', { now: () => clock.now(), keys: { 'sk-openai-queue-key-00000000000002': 'k' } });
  const guard = { limits: { maxConcurrent: 1 }, queue: { maxLength: 1, maxWaitMs: 5_000 } };
  engine = await startGuardedEngine(
    {
      providers: [
        { id: 'claude', type: 'anthropic', baseUrl: claude.upstream.url, keys: [{ id: 'k', secret: { env: 'A' } }], ...guard },
        { id: 'gpt', type: 'openai', baseUrl: gpt.upstream.url, keys: [{ id: 'k', secret: { env: 'O' } }], ...guard },
      ],
    },
    { env: { A: 'fake-ant-queue-key-0000000000000001', O: 'sk-openai-queue-key-00000000000002' }, clock },
  );
  return { claude, gpt, engine };
}

describe('refusals from the queue', () => {
  it('queue full: 429 with retry-after in the Anthropic format; the queued requests are still served', async () => {
    const clock = new ManualClock(start);
    const { claude, engine } = await setup(clock);
    const slow = gate();
    claude.setReply(async () => {
      await slow.opened;
      return { kind: 'text' };
    });
    const first = askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    await waitFor(() => claude.arrivals.length === 1, 'the first request is with the provider');
    const second = askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    await waitFor(() => engine.provider('claude').queueDepth === 1, 'the second request waits in the queue');
    const refused = await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(refused.json?.error.message).toMatch(/queue for this provider is full/);
    expect(engine.events).toContainEqual(expect.objectContaining({ type: 'queue-full', providerId: 'claude', maxLength: 1 }));
    slow.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(claude.arrivals).toHaveLength(2);
  });

  it('wait exceeded: 429 with retry-after in the OpenAI format after maxWaitMs on the guard clock', async () => {
    const clock = new ManualClock(start);
    const { gpt, engine } = await setup(clock);
    const slow = gate();
    gpt.setReply(async () => {
      await slow.opened;
      return { kind: 'text' };
    });
    const first = askOpenai(engine.running, 'gpt/gpt-5');
    await waitFor(() => gpt.arrivals.length === 1, 'the first request is with the provider');
    const waiting = askOpenai(engine.running, 'gpt/gpt-5');
    await waitFor(() => engine.provider('gpt').queueDepth === 1, 'the second request waits in the queue');
    await clock.advance(4_999);
    expect(engine.provider('gpt').queueDepth).toBe(1);
    await clock.advance(1);
    const refused = await waiting;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.json?.error).toMatchObject({ type: expect.any(String), code: 'rate_limited' });
    expect(refused.json?.error.message).toMatch(/waited 5 s in Switchyard's queue/);
    slow.open();
    expect((await first).status).toBe(200);
    expect(gpt.arrivals).toHaveLength(1);
  });
});
