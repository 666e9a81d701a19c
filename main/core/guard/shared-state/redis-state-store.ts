import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.ts';
import type { GuardEvent } from '../guard-events.ts';
import type { RateLimitHints } from '../rate-limit-headers.ts';
import { limitArguments, logRetention, parseScopeState } from './admission-arguments.ts';
import type { AdmissionCheck, AdmissionVerdict, GuardStateStore, ScopeRef, SentOnWire, SharedStateStatus, StoreHost } from './guard-state-store.ts';
import { pacingInterval } from '../pacer.ts';
import type { Pipeline, Write } from './decision-writes.ts';
import { decisionWrite } from './decision-writes.ts';
import type { RedisClient } from './redis-connection.ts';
import { connectRedis, describeRedisUrl } from './redis-connection.ts';
import { instancesKey, scopeKeys } from './redis-keys.ts';

export interface RedisStateStoreOptions {
  url: string;
  keyPrefix: string;
  clock: Clock;
  instanceId?: string;
  /** How long a lease and an instance heartbeat live without renewal: a killed instance's slots free after this. */
  leaseTtlMs?: number;
  /** How often leases and the heartbeat are renewed and the other instances' decisions are read back. */
  heartbeatMs?: number;
  commandTimeoutMs?: number;
  /** How soon a send that found every in-flight slot taken by other instances looks again. */
  busyPollMs?: number;
  onWarning?: (message: string) => void;
  onRecovered?: (message: string) => void;
}


/**
 * The guard's shared state in Redis (docs/cluster.md). Hot path: one EVALSHA per admission (admission-script.ts);
 * everything else is small deltas. Faults: any failed command switches to local mode with a warning, the client
 * reconnects in the background, and on reconnect the decisions made while apart are written back before sharing
 * resumes. Disabled keys are written without expiry, so a Redis with persistence keeps them across restarts.
 */
export class RedisStateStore implements GuardStateStore {
  readonly #options: Required<Omit<RedisStateStoreOptions, 'onWarning' | 'onRecovered' | 'instanceId'>> & Pick<RedisStateStoreOptions, 'onWarning' | 'onRecovered'>;
  readonly instanceId: string;
  readonly #redis: RedisClient;
  readonly #where: string;
  #mode: 'shared' | 'local' = 'local';
  #warning: string;
  #instances = 1;
  #host: StoreHost | undefined;
  #timer: TimerHandle | undefined;
  #closed = false;
  #leaseCounter = 0;
  /** Leases this instance holds: id -> the lease sets it is in, renewed by the heartbeat. */
  readonly #held = new Map<string, string[]>();
  /** Decisions made while Redis was out of reach, written back on reconnect; the latest per scope and kind wins. */
  readonly #pending = new Map<string, Write>();
  #readyWaiters: Array<() => void> = [];
  #inProgress = 0;
  #lastError: Error | undefined;

  constructor(options: RedisStateStoreOptions) {
    this.#options = { leaseTtlMs: 5_000, heartbeatMs: 1_000, commandTimeoutMs: 1_000, busyPollMs: 100, ...options };
    this.instanceId = options.instanceId ?? randomUUID();
    this.#where = describeRedisUrl(options.url);
    this.#warning = `guard state not shared: connecting to ${this.#where}`;
    const timeout = this.#options.commandTimeoutMs;
    this.#redis = connectRedis(options.url, { commandTimeoutMs: timeout, connectTimeoutMs: Math.max(timeout, 2_000), retryMs: this.#options.heartbeatMs });
    this.#redis.on('ready', () => {
      this.#lastError = undefined;
      void this.#rejoin();
    });
    this.#redis.on('error', (error: Error) => {
      this.#lastError = error;
      this.#goLocal(error);
    });
    // A close right after an error (a wrong password, a refused connection) is explained by that error.
    this.#redis.on('close', () => this.#goLocal(this.#lastError ?? new Error('connection closed')));
  }

  /** Admissions and heartbeats waiting for Redis right now (tests driving a manual clock wait for 0). */
  get inProgress(): number {
    return this.#inProgress;
  }

  get shared(): boolean {
    return this.#mode === 'shared';
  }

  status(): SharedStateStatus {
    if (this.#mode === 'shared') return { mode: 'shared', instances: this.#instances };
    return { mode: 'local', instances: 1, warning: this.#warning };
  }

  attach(host: StoreHost): void {
    this.#host = host;
  }

  /** Resolves once sharing works, or after `timeoutMs` (still local, with the warning). For a start that shares from the first request. */
  waitUntilShared(timeoutMs: number): Promise<boolean> {
    if (this.shared) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.shared), timeoutMs);
      this.#readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async admit(check: AdmissionCheck): Promise<AdmissionVerdict> {
    if (!this.shared) return { kind: 'unavailable' };
    const prefix = this.#options.keyPrefix;
    const provider = scopeKeys(prefix, check.provider);
    const key = scopeKeys(prefix, check.key);
    this.#leaseCounter += 1;
    const leaseId = `${this.instanceId}:${this.#leaseCounter}`;
    this.#inProgress += 1;
    try {
      const answer = await this.#redis.switchyardAdmit(
        provider.state, provider.log, provider.leases, key.state, key.log, key.leases,
        check.now, Math.max(0, Math.round(check.tokens)), check.model, leaseId, check.now + this.#options.leaseTtlMs, this.#options.busyPollMs,
        ...limitArguments(check.provider.limits), ...limitArguments(check.key.limits),
        logRetention(check.provider.limits), logRetention(check.key.limits),
      );
      if (Number(answer[0]) === 1) {
        this.#held.set(leaseId, [provider.leases, key.leases]);
        return { kind: 'admitted', leaseId };
      }
      const until = Number(answer[2]);
      return { kind: 'wait', scope: answer[1] === 'provider' ? 'provider' : 'key', until: until < 0 ? Number.POSITIVE_INFINITY : until, reason: String(answer[3]) };
    } catch (error) {
      this.#goLocal(error as Error);
      return { kind: 'unavailable' };
    } finally {
      this.#inProgress -= 1;
    }
  }

  release(leaseId: string): void {
    const sets = this.#held.get(leaseId);
    if (!sets) return;
    this.#held.delete(leaseId);
    if (!this.shared) return;
    const pipeline = this.#redis.pipeline();
    for (const set of sets) pipeline.zrem(set, leaseId);
    // A lost release is harmless: the lease expires by itself within leaseTtlMs.
    pipeline.exec().catch(() => {});
  }

  wentOut(report: SentOnWire): void {
    if (!this.shared || !this.#held.has(report.leaseId)) return;
    const prefix = this.#options.keyPrefix;
    const providerPace = pacingInterval(report.provider.limits);
    const keyPace = pacingInterval(report.key.limits);
    if (providerPace === 0 && keyPace === 0) return;
    // A lost report is harmless for safety: the hold expires with the lease, and the due time set at admission stays.
    this.#redis
      .switchyardWentOut(scopeKeys(prefix, report.provider).state, scopeKeys(prefix, report.key).state, report.at, report.leaseId, providerPace, keyPace)
      .catch((error: Error) => this.#goLocal(error));
  }

  recordEvent(event: GuardEvent, scope: ScopeRef): void {
    const { state } = scopeKeys(this.#options.keyPrefix, scope);
    const decision = decisionWrite(event, state);
    if (!decision) return;
    const { kind, write } = decision;
    // A reset supersedes whatever was decided about the key before it.
    if (event.type === 'key-restored') for (const pendingKey of [...this.#pending.keys()]) if (pendingKey.startsWith(`${state}|`)) this.#pending.delete(pendingKey);
    const pendingKey = `${state}|${kind}`;
    if (!this.shared) {
      this.#pending.set(pendingKey, write);
      return;
    }
    this.#write([write]).catch((error: Error) => {
      this.#pending.set(pendingKey, write);
      this.#goLocal(error);
    });
  }

  recordLearned(scope: ScopeRef, hints: RateLimitHints, othersInFlight: number, now: number): void {
    if (!this.shared) return;
    const { state } = scopeKeys(this.#options.keyPrefix, scope);
    const pipeline = this.#redis.pipeline() as Pipeline;
    if (hints.requests) pipeline.switchyardLearned(state, 'learnedRequests', hints.requests.remaining - othersInFlight, hints.requests.resetAt, now);
    if (hints.tokens) pipeline.switchyardLearned(state, 'learnedTokens', hints.tokens.remaining, hints.tokens.resetAt, now);
    pipeline.exec().catch((error: Error) => this.#goLocal(error));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#probe?.cancel();
    this.#probe = undefined;
    if (this.#mode === 'shared') {
      // Leave cleanly: free our slots and our place in the instance count now instead of when they expire.
      const pipeline = this.#redis.pipeline();
      for (const [leaseId, sets] of this.#held) for (const set of sets) pipeline.zrem(set, leaseId);
      pipeline.zrem(instancesKey(this.#options.keyPrefix), this.instanceId);
      await pipeline.exec().catch(() => {});
    }
    this.#mode = 'local';
    this.#redis.disconnect(false);
  }

  async #write(writes: Write[]): Promise<void> {
    const pipeline = this.#redis.pipeline() as Pipeline;
    for (const write of writes) write(pipeline);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Connected (again): write back what was decided while apart, then share; the heartbeat starts reading back. */
  async #rejoin(): Promise<void> {
    if (this.#closed) return;
    try {
      const pending = [...this.#pending];
      // Disabled keys this instance knows, unless Redis already has a decision: a Redis restarted without
      // persistence learns them again instead of the next read-back re-enabling them everywhere.
      const disabled: Write[] = (this.#host?.disabledKeys() ?? []).map(({ scope, reason }) => (pipeline) => pipeline.hsetnx(scopeKeys(this.#options.keyPrefix, scope).state, 'disabled', reason));
      const writes = [...pending.map(([, write]) => write), ...disabled];
      if (writes.length > 0) await this.#write(writes);
      // Only what was written goes; a decision made while the write-back ran stays for the next one.
      for (const [pendingKey, write] of pending) if (this.#pending.get(pendingKey) === write) this.#pending.delete(pendingKey);
      await this.#beat();
    } catch (error) {
      this.#goLocal(error as Error);
      return;
    }
    const wasLocal = this.#mode === 'local';
    this.#mode = 'shared';
    if (wasLocal) {
      const again = this.#everShared ? ' again' : '';
      this.#everShared = true;
      this.#options.onRecovered?.(`guard state shared${again} through ${this.#where} (${this.#instances} live instance${this.#instances === 1 ? '' : 's'})`);
      this.#host?.statusChanged(this.status());
    }
    for (const waiter of this.#readyWaiters.splice(0)) waiter();
    this.#schedule();
  }

  #goLocal(error: Error): void {
    if (this.#closed) return;
    this.#probeLater();
    const code = (error as NodeJS.ErrnoException).code;
    // Network trouble has an errno code (or is a timeout / closed connection); anything else is Redis saying no.
    const network = code !== undefined || /closed|timed? ?out|writeable/i.test(error.message);
    const what = network ? `is unreachable (${code ?? error.message})` : `refused the connection (${error.message.split('\n')[0]})`;
    const warning = `guard state not shared: ${this.#where} ${what}; this instance guards alone until it is back`;
    if (this.#mode === 'local' && this.#warning === warning) return;
    const wasShared = this.#mode === 'shared';
    this.#mode = 'local';
    this.#warning = warning;
    this.#instances = 1;
    if (wasShared || !this.#reportedStart) {
      this.#reportedStart = true;
      this.#options.onWarning?.(warning);
      this.#host?.statusChanged(this.status());
    }
  }

  /**
   * A command can fail (a timeout while Redis is busy) on a connection that stays up, and then no "ready" event
   * comes to end the local mode. So while local, look every heartbeat: a ready connection means rejoin.
   */
  #probeLater(): void {
    if (this.#closed || this.#probe) return;
    this.#probe = this.#options.clock.setTimer(this.#options.heartbeatMs, () => {
      this.#probe = undefined;
      if (this.#closed || this.shared) return;
      if (this.#redis.status === 'ready') void this.#rejoin();
      else this.#probeLater();
    });
  }

  #reportedStart = false;
  #probe: TimerHandle | undefined;
  #everShared = false;

  #schedule(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = this.#options.clock.setTimer(this.#options.heartbeatMs, () => {
      this.#timer = undefined;
      if (!this.shared) return;
      this.#beat().then(
        () => this.#schedule(),
        (error: Error) => this.#goLocal(error),
      );
    });
  }

  /** One pipeline: this instance's heartbeat, the live-instance count, lease renewals, and the others' decisions. */
  async #beat(): Promise<void> {
    const now = this.#options.clock.now();
    const prefix = this.#options.keyPrefix;
    const instances = instancesKey(prefix);
    const expiry = now + this.#options.leaseTtlMs;
    const pipeline = this.#redis.pipeline() as Pipeline;
    pipeline.zadd(instances, expiry, this.instanceId);
    pipeline.zremrangebyscore(instances, '-inf', now);
    pipeline.zcard(instances);
    for (const [leaseId, sets] of this.#held) for (const set of sets) pipeline.zadd(set, 'XX', expiry, leaseId);
    const scopes = this.#host?.scopes() ?? [];
    const keys = scopes.flatMap((scope) => {
      const names = scopeKeys(prefix, scope);
      return [names.state, names.log, names.leases];
    });
    if (scopes.length > 0) pipeline.switchyardReadState(keys.length, ...keys, now);
    this.#inProgress += 1;
    const results = await pipeline.exec().finally(() => (this.#inProgress -= 1)) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    this.#instances = Math.max(1, Number(results[2]?.[1] ?? 1));
    if (scopes.length > 0) {
      const states = results.at(-1)?.[1] as Array<[string[], number, number, number, number, number]>;
      this.#host?.applyRemote(scopes.map((scope, index) => parseScopeState(scope, states[index]!)));
    }
  }
}
