import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { describeStartError } from './describe-start-error.ts';
import type { ServingStatus } from './serving-status.ts';

/** What the host needs from an engine: main/core/engine.ts fits it. */
export interface HostedEngine {
  start(overrides?: { host?: string; port?: number }): Promise<{ url: string }>;
  stop(graceMs?: number): Promise<void>;
}

export interface EngineHostOptions<E extends HostedEngine> {
  /**
   * Builds a fresh engine for each serving period. A stopped engine has closed its upstream connection pool, so
   * "resume" builds a new one (the app hands every engine the same guard, so key and breaker state carry over).
   */
  createEngine(): Promise<E>;
  /** How long requests in flight may take to finish when serving pauses or the app quits. */
  graceMs: number;
  /**
   * A port still held by a previous instance that is shutting down (an app restart, an update, `serve` being
   * stopped) is waited for instead of failing at once: a stopping engine and a starting one race for the port. attempts x delay is
   * the longest wait.
   */
  bindAttempts?: number;
  bindRetryDelayMs?: number;
  /** Turns a start failure into a sentence for the tray (default: describe-start-error.ts). */
  describeStartError?: (error: unknown) => string;
  sleep?: (ms: number) => Promise<void>;
}

interface HostEvents {
  status: [ServingStatus];
}

/**
 * Runs the engine inside the app and owns its lifecycle: start, pause, resume, shutdown. Transitions run one at a
 * time in the order asked for, so "resume" can never bind the port while "pause" is still releasing it, and a
 * quit during a start waits for the start to settle before stopping.
 */
export class EngineHost<E extends HostedEngine> extends EventEmitter<HostEvents> {
  readonly #options: EngineHostOptions<E>;
  #status: ServingStatus = { state: 'starting' };
  #engine: E | undefined;
  #queue: Promise<void> = Promise.resolve();
  #shuttingDown = false;

  constructor(options: EngineHostOptions<E>) {
    super();
    this.#options = options;
  }

  get status(): ServingStatus {
    return this.#status;
  }

  /** The engine that is serving right now, if any. */
  get engine(): E | undefined {
    return this.#engine;
  }

  /** Starts serving (also "resume" and "try again"). Does nothing when already serving or shutting down. */
  start(): Promise<void> {
    return this.#enqueue(() => this.#start());
  }

  /** Stops serving; requests in flight get the grace period. */
  pause(): Promise<void> {
    return this.#enqueue(() => this.#stop('pausing', 'paused', this.#options.graceMs));
  }

  /** Stops serving for good (app quit). Transitions that have not begun yet, and any asked for later, are dropped. */
  shutdown(graceMs = this.#options.graceMs): Promise<void> {
    this.#shuttingDown = true;
    return this.#enqueue(() => this.#stop('stopping', 'stopping', graceMs), true);
  }

  /** Stop then start, e.g. after the port or host changed. */
  restart(): Promise<void> {
    return this.#enqueue(async () => {
      await this.#stop('pausing', 'paused', this.#options.graceMs);
      await this.#start();
    });
  }

  #enqueue(step: () => Promise<void>, evenWhenShuttingDown = false): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.#shuttingDown && !evenWhenShuttingDown) return;
      await step();
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => {});
    return next;
  }

  #set(status: ServingStatus): void {
    this.#status = status;
    this.emit('status', status);
  }

  async #start(): Promise<void> {
    if (this.#engine) return;
    this.#set({ state: 'starting' });
    let engine: E;
    try {
      engine = await this.#options.createEngine();
    } catch (error) {
      this.#set({ state: 'failed', message: this.#describe(error) });
      return;
    }
    const attempts = Math.max(1, this.#options.bindAttempts ?? 20);
    const sleep = this.#options.sleep ?? ((ms: number) => delay(ms));
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { url } = await engine.start();
        this.#engine = engine;
        this.#set({ state: 'serving', url });
        return;
      } catch (error) {
        const portBusy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (portBusy && attempt < attempts && !this.#shuttingDown) {
          await sleep(this.#options.bindRetryDelayMs ?? 250);
          if (!this.#shuttingDown) continue;
        }
        await engine.stop(0).catch(() => {});
        // Quitting while waiting for the port is not a failure worth showing; the shutdown step sets the state.
        if (!this.#shuttingDown) this.#set({ state: 'failed', message: this.#describe(error) });
        return;
      }
    }
  }

  async #stop(during: 'pausing' | 'stopping', after: 'paused' | 'stopping', graceMs: number): Promise<void> {
    const engine = this.#engine;
    if (!engine) {
      if (after === 'stopping' || this.#status.state !== 'failed') this.#set({ state: after });
      return;
    }
    this.#set({ state: during });
    try {
      await engine.stop(graceMs);
    } finally {
      this.#engine = undefined;
      this.#set({ state: after });
    }
  }

  #describe(error: unknown): string {
    return (this.#options.describeStartError ?? describeStartError)(error);
  }
}
