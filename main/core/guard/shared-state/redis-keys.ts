import { createHash } from 'node:crypto';
import type { ScopeRef } from './guard-state-store.ts';

/**
 * Names of the Redis keys of one scope. Every name carries the cluster's prefix in braces, a Redis Cluster hash tag,
 * so the keys one script touches always live on one shard. A key's names include a fingerprint of its secret (the
 * first 16 hex digits of its SHA-256, not reversible for real API keys): a replaced secret starts with a clean
 * state, as it does locally, and two instances configured with different secrets under one id never mix.
 */
export interface ScopeKeys {
  state: string;
  log: string;
  leases: string;
}

function part(text: string): string {
  return encodeURIComponent(text);
}

export function secretFingerprint(secret: string | undefined): string {
  if (!secret) return 'no-secret';
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

export function scopeKeys(prefix: string, scope: ScopeRef): ScopeKeys {
  const base = scope.keyId === undefined
    ? `{${prefix}}:provider:${part(scope.providerId)}`
    : `{${prefix}}:key:${part(scope.providerId)}:${part(scope.keyId)}:${secretFingerprint(scope.secret)}`;
  return { state: `${base}:state`, log: `${base}:log`, leases: `${base}:leases` };
}

/** The sorted set of live instances, scored by when each one's heartbeat expires. */
export function instancesKey(prefix: string): string {
  return `{${prefix}}:instances`;
}
