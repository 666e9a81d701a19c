import { Redis } from 'ioredis';
import { admissionScript } from './admission-script.ts';
import { learnedBudgetScript, readStateScript, resetKeyScript, wentOutScript } from './state-scripts.ts';

/** The scripts, registered once per connection: ioredis sends EVALSHA and falls back to EVAL after a NOSCRIPT. */
export interface ScriptCommands {
  switchyardAdmit(...keysAndArgs: Array<string | number>): Promise<Array<number | string>>;
  switchyardLearned(key: string, ...args: Array<string | number>): Promise<number>;
  switchyardResetKey(key: string): Promise<number>;
  switchyardWentOut(providerState: string, keyState: string, ...args: Array<string | number>): Promise<number>;
  switchyardReadState(keyCount: number, ...keysAndArgs: Array<string | number>): Promise<Array<[string[], number, number, number, number, number]>>;
}

export type RedisClient = Redis & ScriptCommands;

/** Where Redis is, for messages: host and port only, never the password of the URL. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol === 'rediss:' ? 'rediss' : 'redis'}://${parsed.host}`;
  } catch {
    return 'the configured Redis';
  }
}

/**
 * One connection to Redis that fails fast instead of queueing: a command while disconnected rejects at once, one
 * that hangs rejects after `commandTimeoutMs`, so a lost Redis never holds up a request; the guard falls back to its
 * local state and the client reconnects in the background, every `retryMs`. Password (redis://:pw@host) and TLS
 * (rediss://) come from the URL.
 */
export function connectRedis(url: string, options: { commandTimeoutMs: number; retryMs: number; connectTimeoutMs: number }): RedisClient {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    retryStrategy: () => options.retryMs,
    lazyConnect: false,
  });
  client.defineCommand('switchyardAdmit', { numberOfKeys: 6, lua: admissionScript });
  client.defineCommand('switchyardLearned', { numberOfKeys: 1, lua: learnedBudgetScript });
  client.defineCommand('switchyardResetKey', { numberOfKeys: 1, lua: resetKeyScript });
  client.defineCommand('switchyardReadState', { lua: readStateScript });
  client.defineCommand('switchyardWentOut', { numberOfKeys: 2, lua: wentOutScript });
  return client as RedisClient;
}
