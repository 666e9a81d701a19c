import { describe, expect, it } from 'vitest';
import type { HostedEngine } from './engine-host.ts';
import { EngineHost } from './engine-host.ts';
import type { ServingStatus } from './serving-status.ts';

/** An engine that records what happened to it and can be told to fail its next binds. */
class FakeEngine implements HostedEngine {
  static log: string[] = [];
  static busyBinds = 0;
  static bindError: NodeJS.ErrnoException | undefined;
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  async start(): Promise<{ url: string }> {
    await Promise.resolve();
    if (FakeEngine.bindError) throw FakeEngine.bindError;
    if (FakeEngine.busyBinds > 0) {
      FakeEngine.busyBinds -= 1;
      FakeEngine.log.push(`${this.name} bind busy`);
      throw Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 8787 });
    }
    FakeEngine.log.push(`${this.name} start`);
    return { url: 'http://127.0.0.1:8787' };
  }
  async stop(graceMs = 0): Promise<void> {
    FakeEngine.log.push(`${this.name} stop(${graceMs}) begins`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    FakeEngine.log.push(`${this.name} stop ends`);
  }
}

function host(options: { createFails?: Error; sleep?: (ms: number) => Promise<void> } = {}) {
  FakeEngine.log = [];
  FakeEngine.busyBinds = 0;
  FakeEngine.bindError = undefined;
  let count = 0;
  const statuses: ServingStatus[] = [];
  const sleeps: number[] = [];
  const engineHost = new EngineHost<FakeEngine>({
    createEngine: async () => {
      if (options.createFails) throw options.createFails;
      count += 1;
      return new FakeEngine(`e${count}`);
    },
    graceMs: 3_000,
    bindAttempts: 4,
    bindRetryDelayMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
      await options.sleep?.(ms);
    },
  });
  engineHost.on('status', (status) => statuses.push(status));
  return { engineHost, statuses, sleeps };
}

describe('EngineHost', () => {
  it('starts, pauses with the grace period and resumes with a fresh engine', async () => {
    const { engineHost, statuses } = host();
    await engineHost.start();
    expect(engineHost.status).toEqual({ state: 'serving', url: 'http://127.0.0.1:8787' });
    expect(engineHost.engine?.name).toBe('e1');
    await engineHost.pause();
    expect(engineHost.engine).toBeUndefined();
    await engineHost.start();
    expect(engineHost.engine?.name).toBe('e2');
    expect(statuses.map((status) => status.state)).toEqual(['starting', 'serving', 'pausing', 'paused', 'starting', 'serving']);
    expect(FakeEngine.log).toEqual(['e1 start', 'e1 stop(3000) begins', 'e1 stop ends', 'e2 start']);
  });

  it('runs transitions one at a time: a resume asked during a pause binds only after the port is released', async () => {
    const { engineHost } = host();
    await engineHost.start();
    const pausing = engineHost.pause();
    const resuming = engineHost.start();
    await Promise.all([pausing, resuming]);
    expect(FakeEngine.log).toEqual(['e1 start', 'e1 stop(3000) begins', 'e1 stop ends', 'e2 start']);
    expect(engineHost.status.state).toBe('serving');
  });

  it('ignores a start while serving and a pause while paused', async () => {
    const { engineHost } = host();
    await engineHost.start();
    await engineHost.start();
    await engineHost.pause();
    await engineHost.pause();
    expect(FakeEngine.log).toEqual(['e1 start', 'e1 stop(3000) begins', 'e1 stop ends']);
    expect(engineHost.status).toEqual({ state: 'paused' });
  });

  it('waits for a port still held by a previous instance, then serves', async () => {
    const { engineHost, sleeps } = host();
    FakeEngine.busyBinds = 2;
    await engineHost.start();
    expect(engineHost.status.state).toBe('serving');
    expect(sleeps).toEqual([100, 100]);
    expect(FakeEngine.log).toEqual(['e1 bind busy', 'e1 bind busy', 'e1 start']);
  });

  it('fails with an actionable message when the port stays taken, and can try again', async () => {
    const { engineHost } = host();
    FakeEngine.busyBinds = 10;
    await engineHost.start();
    expect(engineHost.status).toEqual({ state: 'failed', message: expect.stringMatching(/^Port 8787 is already in use/) });
    expect(FakeEngine.log.at(-2)).toBe('e1 stop(0) begins');
    FakeEngine.busyBinds = 0;
    await engineHost.start();
    expect(engineHost.status.state).toBe('serving');
  });

  it('reports a configuration problem as failed without binding anything', async () => {
    const { engineHost } = host({ createFails: new Error('providers[0].keys[0].secret: keychain gemini/k1 is not in the OS keychain') });
    await engineHost.start();
    expect(engineHost.status).toEqual({ state: 'failed', message: 'providers[0].keys[0].secret: keychain gemini/k1 is not in the OS keychain' });
    await engineHost.pause();
    expect(engineHost.status.state).toBe('failed');
  });

  it('shuts down with the given grace and refuses later transitions', async () => {
    const { engineHost } = host();
    await engineHost.start();
    await engineHost.shutdown(1_234);
    await engineHost.start();
    await engineHost.restart();
    expect(FakeEngine.log).toEqual(['e1 start', 'e1 stop(1234) begins', 'e1 stop ends']);
    expect(engineHost.status.state).toBe('stopping');
  });

  it('drops a start that has not begun when the app quits, and waits for one that has', async () => {
    const early = host();
    const starting = early.engineHost.start();
    await early.engineHost.shutdown();
    await starting;
    expect(FakeEngine.log).toEqual([]);

    let wake = () => {};
    const late = host({ sleep: () => new Promise<void>((resolve) => (wake = resolve)) });
    FakeEngine.busyBinds = 1;
    const binding = late.engineHost.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(late.sleeps).toEqual([100]);
    const shutdown = late.engineHost.shutdown(500);
    wake();
    await Promise.all([binding, shutdown]);
    // The bind retry saw the shutdown and gave up; the half-started engine was stopped.
    expect(FakeEngine.log).toEqual(['e1 bind busy', 'e1 stop(0) begins', 'e1 stop ends']);
    expect(late.engineHost.engine).toBeUndefined();
  });

  it('restarts: stop, then start on a new engine', async () => {
    const { engineHost } = host();
    await engineHost.start();
    await engineHost.restart();
    expect(FakeEngine.log).toEqual(['e1 start', 'e1 stop(3000) begins', 'e1 stop ends', 'e2 start']);
  });
});
