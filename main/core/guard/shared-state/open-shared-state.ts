import type { ClusterConfig } from '../../../../shared/config/cluster-schema.ts';
import type { Logger } from '../../logging/logger.ts';
import { systemClock } from '../clock.ts';
import { describeRedisUrl } from './redis-connection.ts';
import { RedisStateStore } from './redis-state-store.ts';

/** How long a start waits for Redis before it serves on local state (with the warning) and keeps trying. */
const startWaitMs = 3_000;

/** The Redis URL in force: SWITCHYARD_REDIS_URL wins over `cluster.redisUrl`, so a password can stay out of the file. */
export function clusterRedisUrl(cluster: ClusterConfig, env: Record<string, string | undefined>): string | undefined {
  const fromEnvironment = env.SWITCHYARD_REDIS_URL?.trim();
  return fromEnvironment ? fromEnvironment : cluster.redisUrl;
}

/**
 * Opens the shared guard state for `serve` (docs/cluster.md). Never fails the start: when Redis does not answer
 * within a few seconds the instance serves on its local guard with a warning and joins as soon as Redis answers.
 */
export async function openSharedState(url: string, cluster: ClusterConfig, logger: Logger): Promise<{ store: RedisStateStore; summary: string }> {
  if (!/^rediss?:\/\/.+/.test(url)) throw new Error(`SWITCHYARD_REDIS_URL must be a redis:// or rediss:// URL (got something else for ${describeRedisUrl(url)})`);
  const store = new RedisStateStore({
    url,
    keyPrefix: cluster.keyPrefix,
    clock: systemClock,
    onWarning: (message) => logger.warn(message),
    onRecovered: (message) => logger.info(message),
  });
  const shared = await store.waitUntilShared(startWaitMs);
  const status = store.status();
  const summary = shared
    ? `shared through ${describeRedisUrl(url)} (prefix "${cluster.keyPrefix}", ${status.instances} live instance${status.instances === 1 ? '' : 's'})`
    : `${status.warning ?? 'not shared'}`;
  return { store, summary };
}
