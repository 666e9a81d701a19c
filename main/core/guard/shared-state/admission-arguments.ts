import type { ResolvedLimits } from '../guard-settings.ts';
import { pacingInterval } from '../pacer.ts';
import type { RemoteScopeState, ScopeRef } from './guard-state-store.ts';

const none = -1;

/** A limits block as the admission script reads it: concurrency, pacing interval, burst, then the windows; -1 is "none". */
export function limitArguments(limits: ResolvedLimits): number[] {
  return [
    Number.isFinite(limits.maxConcurrent) ? limits.maxConcurrent : none,
    pacingInterval(limits),
    limits.burst ?? 1,
    limits.perMinute ?? none,
    limits.perHour ?? none,
    limits.perDay ?? none,
    limits.tokensPerMinute ?? none,
  ];
}

/** How long a scope's send log must keep entries: its longest window (0: no windows, nothing to log). */
export function logRetention(limits: ResolvedLimits): number {
  if (limits.perDay !== undefined) return 86_400_000;
  if (limits.perHour !== undefined) return 3_600_000;
  if (limits.perMinute !== undefined || limits.tokensPerMinute !== undefined) return 60_000;
  return 0;
}

/** Reads one scope's entry of the read-state script into plain fields. */
export function parseScopeState(ref: ScopeRef, entry: [string[], number, number, number, number, number]): RemoteScopeState {
  const [flat, inFlight, minute, hour, day, tokens] = entry;
  const fields = new Map<string, string>();
  for (let index = 0; index + 1 < flat.length; index += 2) fields.set(flat[index]!, flat[index + 1]!);
  const number = (name: string) => {
    const value = Number(fields.get(name));
    return Number.isFinite(value) && fields.has(name) ? value : undefined;
  };
  const state: RemoteScopeState = { ref, exhausted: [], inFlight: Number(inFlight), sends: { minute: Number(minute), hour: Number(hour), day: Number(day) }, tokensLastMinute: Number(tokens) };
  const disabled = fields.get('disabled');
  if (disabled !== undefined) state.disabledReason = disabled;
  const coolingUntil = number('coolingUntil');
  if (coolingUntil !== undefined) {
    state.coolingUntil = coolingUntil;
    state.coolingReason = fields.get('coolingReason') ?? '';
  }
  const breakerOpenUntil = number('breakerOpenUntil');
  if (breakerOpenUntil !== undefined) state.breakerOpenUntil = breakerOpenUntil;
  for (const [name, value] of fields) {
    if (!name.startsWith('exhausted:')) continue;
    const separator = value.indexOf('|');
    const until = Number(separator >= 0 ? value.slice(0, separator) : value);
    if (Number.isFinite(until)) state.exhausted.push({ model: name.slice('exhausted:'.length), until, reason: separator >= 0 ? value.slice(separator + 1) : '' });
  }
  return state;
}
