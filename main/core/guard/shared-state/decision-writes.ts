import type { ChainableCommander } from 'ioredis';
import type { GuardEvent } from '../guard-events.ts';
import type { ScriptCommands } from './redis-connection.ts';

export type Pipeline = ChainableCommander & ScriptCommands;
export type Write = (pipeline: Pipeline) => void;

/**
 * A guard decision as a single-field write to a scope's state hash, and the kind it is remembered under while Redis
 * is out of reach (the latest decision of a kind wins). Disabled keys are written without expiry, so a Redis with
 * persistence keeps them across restarts. Undefined for events that are not decisions.
 */
export function decisionWrite(event: GuardEvent, state: string): { kind: string; write: Write } | undefined {
  switch (event.type) {
    case 'key-disabled':
      return { kind: event.type, write: (pipeline) => pipeline.hset(state, 'disabled', event.reason) };
    case 'key-cooling':
      return { kind: event.type, write: (pipeline) => pipeline.hset(state, 'coolingUntil', String(event.until), 'coolingReason', event.reason) };
    case 'key-exhausted':
      return { kind: `${event.type}:${event.model}`, write: (pipeline) => pipeline.hset(state, `exhausted:${event.model}`, `${event.until}|${event.reason}`) };
    case 'key-restored':
      return { kind: event.type, write: (pipeline) => pipeline.switchyardResetKey(state) };
    case 'breaker-opened':
      return { kind: 'breaker', write: (pipeline) => pipeline.hset(state, 'breakerOpenUntil', String(event.until)) };
    case 'breaker-closed':
      return { kind: 'breaker', write: (pipeline) => pipeline.hdel(state, 'breakerOpenUntil') };
    default:
      return undefined;
  }
}
