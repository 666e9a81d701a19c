import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../../test/helpers/manual-clock.ts';
import type { DevicePoll } from './device-flow.ts';
import { pollDeviceGrant } from './device-flow.ts';
import { SignInError } from './sign-in-error.ts';

/** Polls answered from a script; records the clock at each poll. */
function scripted(clock: ManualClock, answers: DevicePoll<string>[]) {
  const at: number[] = [];
  return {
    at,
    poll: async () => {
      at.push(clock.now());
      return answers[Math.min(at.length - 1, answers.length - 1)]!;
    },
  };
}

async function runUntilSettled<T>(clock: ManualClock, promise: Promise<T>, maxSteps = 50): Promise<PromiseSettledResult<T>> {
  let result: PromiseSettledResult<T> | undefined;
  promise.then(
    (value) => (result = { status: 'fulfilled', value }),
    (reason: unknown) => (result = { status: 'rejected', reason }),
  );
  for (let step = 0; step < maxSteps && !result; step += 1) {
    await settle();
    if (!result) await clock.runNext();
  }
  await settle();
  if (!result) throw new Error('the flow did not settle');
  return result;
}

describe('device grant polling (RFC 8628 with GitHub deviations)', () => {
  it('waits the interval between polls and returns the token once approved', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const script = scripted(clock, [{ kind: 'pending' }, { kind: 'pending' }, { kind: 'token', value: 'gho_fake' }]);
    const outcome = await runUntilSettled(clock, pollDeviceGrant({ poll: script.poll, intervalMs: 5_000, expiresAt: start + 900_000, signal: new AbortController().signal, vendor: 'GitHub', clock }));
    expect(outcome).toEqual({ status: 'fulfilled', value: 'gho_fake' });
    expect(script.at.map((at) => at - start)).toEqual([5_000, 10_000, 15_000]);
  });

  it('slow_down adds 5 s for the rest of the flow, or takes the longer interval the vendor names', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const script = scripted(clock, [{ kind: 'slow-down' }, { kind: 'pending' }, { kind: 'slow-down', intervalMs: 20_000 }, { kind: 'pending' }, { kind: 'token', value: 't' }]);
    await runUntilSettled(clock, pollDeviceGrant({ poll: script.poll, intervalMs: 5_000, expiresAt: start + 900_000, signal: new AbortController().signal, vendor: 'GitHub', clock }));
    const gaps = script.at.map((at, index) => at - (index === 0 ? start : script.at[index - 1]!));
    expect(gaps).toEqual([5_000, 10_000, 10_000, 20_000, 20_000]);
  });

  it.each([
    ['denied', { kind: 'denied', message: 'The user has denied your application access.' } as const, /denied on GitHub/],
    ['expired', { kind: 'expired' } as const, /expired before it was approved/],
  ])('%s ends the flow with a clear message', async (_case, answer, message) => {
    const clock = new ManualClock();
    const script = scripted(clock, [{ kind: 'pending' }, answer]);
    const outcome = await runUntilSettled(clock, pollDeviceGrant({ poll: script.poll, intervalMs: 1_000, expiresAt: clock.now() + 900_000, signal: new AbortController().signal, vendor: 'GitHub', clock }));
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason as SignInError;
    expect(error).toBeInstanceOf(SignInError);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('Nothing was stored');
    expect(script.at).toHaveLength(2);
  });

  it('gives up locally once the code has expired, without another poll', async () => {
    const clock = new ManualClock();
    const script = scripted(clock, [{ kind: 'pending' }]);
    const outcome = await runUntilSettled(clock, pollDeviceGrant({ poll: script.poll, intervalMs: 5_000, expiresAt: clock.now() + 12_000, signal: new AbortController().signal, vendor: 'GitHub', clock }));
    expect((outcome as PromiseRejectedResult).reason).toMatchObject({ failure: 'expired' });
    expect(script.at).toHaveLength(2);
  });

  it('a cancel ends the wait at once', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const script = scripted(clock, [{ kind: 'pending' }]);
    const flow = pollDeviceGrant({ poll: script.poll, intervalMs: 5_000, expiresAt: clock.now() + 900_000, signal: controller.signal, vendor: 'GitHub', clock });
    controller.abort();
    await expect(flow).rejects.toMatchObject({ failure: 'cancelled' });
    expect(script.at).toHaveLength(0);
  });
});
