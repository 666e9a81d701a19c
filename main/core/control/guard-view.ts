import type { GuardEventView, GuardKeyView, GuardSnapshotView } from '../../../shared/api-contract.ts';
import type { GuardEvent } from '../guard/guard-events.ts';
import type { GuardSnapshot, KeySnapshot } from '../guard/guard-snapshot.ts';
import { snapshotAccountFacts } from './account-views.ts';

function keyView(key: KeySnapshot): GuardKeyView {
  let reason: string | null = null;
  let until: number | null = null;
  if (key.state === 'disabled') reason = key.disabledReason ?? (key.enabled ? null : 'switched off');
  else if (key.state === 'exhausted') {
    reason = key.exhausted[0]?.reason ?? null;
    until = key.exhaustedUntil ?? null;
  } else if (key.state === 'cooling') {
    reason = key.coolingReason ?? null;
    until = key.coolingUntil ?? null;
  }
  return {
    id: key.id,
    last4: key.last4,
    state: key.state,
    enabled: key.enabled,
    inFlight: key.inFlight,
    requests: key.requests,
    errors: key.errors,
    rateLimited: key.rateLimited,
    reason,
    until,
    breaker: key.breaker.state,
    breakerOpenUntil: key.breaker.openUntil ?? null,
    latencyP50Ms: key.latencyP50Ms,
    windows: key.windows.map((window) => ({ ...window })),
    ...(key.account ? { account: snapshotAccountFacts(key.account) } : {}),
  };
}

/** The guard's snapshot reduced to what the dashboard shows; never more than four characters of a key. */
export function guardSnapshotView(snapshot: GuardSnapshot): GuardSnapshotView {
  return {
    takenAt: snapshot.takenAt,
    detailed: true,
    providers: snapshot.providers.map((provider) => ({
      id: provider.id,
      keyStrategy: provider.keyStrategy,
      queueDepth: provider.queueDepth,
      inFlight: provider.inFlight,
      requests: provider.requests,
      errors: provider.errors,
      rateLimited: provider.rateLimited,
      latencyP50Ms: provider.latencyP50Ms,
      breaker: provider.breaker.state,
      breakerOpenUntil: provider.breaker.openUntil ?? null,
      windows: provider.windows.map((window) => ({ ...window })),
      keys: provider.keys.map(keyView),
    })),
    ...(snapshot.sharedState
      ? { sharedState: { mode: snapshot.sharedState.mode, instances: snapshot.sharedState.instances, ...(snapshot.sharedState.warning ? { warning: snapshot.sharedState.warning } : {}) } }
      : {}),
  };
}

export function emptySnapshotView(now: number): GuardSnapshotView {
  return { takenAt: now, detailed: false, providers: [] };
}

function seconds(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000));
  return total < 120 ? `${total} s` : `${Math.round(total / 60)} min`;
}

/** One sentence per guard event, for the dashboard's activity list. */
export function guardEventView(event: GuardEvent): GuardEventView {
  const keyId = 'keyId' in event && event.keyId !== undefined ? event.keyId : null;
  const who = 'key' in event ? `${event.providerId} key ${event.key}` : keyId ? `${event.providerId} key ${keyId}` : event.providerId;
  let message: string;
  switch (event.type) {
    case 'key-disabled':
      message = `${who} was taken out of service: ${event.reason}`;
      break;
    case 'key-cooling':
      message = `${who} is cooling down for ${seconds(event.until - event.at)} (${event.reason})`;
      break;
    case 'key-exhausted':
      message = `${who} has used up its quota for ${event.model} (${event.reason})`;
      break;
    case 'key-restored':
      message = `${who} is back in service`;
      break;
    case 'breaker-opened':
      message = `${who} is failing; requests pause for ${seconds(event.until - event.at)}`;
      break;
    case 'breaker-half-open':
      message = `${who}: trying a probe request`;
      break;
    case 'breaker-closed':
      message = `${who} recovered`;
      break;
    case 'queue-full':
      message = `${event.providerId}: the queue is full (${event.maxLength} waiting); new requests are refused for now`;
      break;
    default:
      message = `${(event as { type: string }).type} on ${(event as { providerId: string }).providerId}`;
  }
  return { type: event.type, at: event.at, providerId: event.providerId, keyId, message };
}
