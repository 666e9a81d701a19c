import { describe, expect, it } from 'vitest';
import { ProxyError } from '../errors/proxy-error.ts';
import { Dedup } from './dedup.ts';
import { ManualClock, settle } from '../../../test/helpers/manual-clock.ts';

const aborted = () => new ProxyError({ code: 'client_aborted', status: 499, message: 'gone', scope: 'client' });

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('Dedup', () => {
  it('runs identical concurrent requests once and gives every caller the answer', async () => {
    const dedup = new Dedup(new ManualClock(0));
    const upstream = deferred<string>();
    let calls = 0;
    const execute = () => {
      calls += 1;
      return upstream.promise;
    };
    const answers = Array.from({ length: 10 }, () => dedup.run('same', new AbortController().signal, 0, execute, aborted));
    expect([dedup.inFlightCount, dedup.callerCount]).toEqual([1, 10]);
    upstream.resolve('answer');
    expect(await Promise.all(answers)).toEqual(Array(10).fill('answer'));
    expect(calls).toBe(1);
    expect(dedup.inFlightCount).toBe(0);
  });

  it('does not share between different keys, and shares failures only while in flight', async () => {
    const dedup = new Dedup(new ManualClock(0));
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new Error('boom'));
    };
    await expect(dedup.run('a', new AbortController().signal, 10_000, failing, aborted)).rejects.toThrow('boom');
    await expect(dedup.run('a', new AbortController().signal, 10_000, failing, aborted)).rejects.toThrow('boom');
    await dedup.run('b', new AbortController().signal, 0, () => Promise.resolve(1), aborted);
    expect(calls).toBe(2);
  });

  it('keeps an answer for windowMs when asked to', async () => {
    const clock = new ManualClock(0);
    const dedup = new Dedup(clock);
    let calls = 0;
    const execute = () => Promise.resolve(++calls);
    expect(await dedup.run('k', new AbortController().signal, 1000, execute, aborted)).toBe(1);
    await clock.advance(999);
    expect(await dedup.run('k', new AbortController().signal, 1000, execute, aborted)).toBe(1);
    await clock.advance(1);
    expect(await dedup.run('k', new AbortController().signal, 1000, execute, aborted)).toBe(2);
  });

  it('lets one caller leave without cancelling the others; the last one to leave aborts the shared call', async () => {
    const dedup = new Dedup(new ManualClock(0));
    const upstream = deferred<string>();
    let sharedSignal: AbortSignal | undefined;
    const execute = (signal: AbortSignal) => {
      sharedSignal = signal;
      return upstream.promise;
    };
    const first = new AbortController();
    const second = new AbortController();
    const firstAnswer = dedup.run('k', first.signal, 0, execute, aborted);
    const secondAnswer = dedup.run('k', second.signal, 0, execute, aborted);
    first.abort();
    await expect(firstAnswer).rejects.toMatchObject({ code: 'client_aborted' });
    expect(sharedSignal?.aborted).toBe(false);
    second.abort();
    await expect(secondAnswer).rejects.toMatchObject({ code: 'client_aborted' });
    expect(sharedSignal?.aborted).toBe(true);
    upstream.reject(new Error('aborted upstream'));
    await settle();
  });
});
