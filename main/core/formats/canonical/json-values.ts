// Small readers for untrusted JSON bodies. Decoders use them so that a field of the wrong type is treated as
// absent (or reported as invalid by the caller) instead of crashing with a TypeError deep in a codec.
import { isRecord } from '../../../../shared/is-record.ts';
import { requestError } from '../../errors/proxy-error.ts';

export type JsonObject = Record<string, unknown>;

export { isRecord };

export function stringOr(value: unknown, fallback?: string): string | undefined {
  return typeof value === 'string' ? value : fallback;
}

export function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function booleanOr(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function arrayOr(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Throws the 400 that the server renders in the caller's format. `field` names the offending JSON path. */
export function invalidRequest(field: string, problem: string): never {
  throw requestError('invalid_request', 400, `Invalid request: ${field} ${problem}`);
}

export function requireArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) invalidRequest(field, 'must be an array');
  return value;
}

export function requireRecord(value: unknown, field: string): JsonObject {
  if (!isRecord(value)) invalidRequest(field, 'must be an object');
  return value;
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') invalidRequest(field, 'must be a string');
  return value;
}

/** Parses JSON text that should hold an object (tool arguments). Returns undefined when it does not. */
export function parseJsonObject(text: string): JsonObject | undefined {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function parseJsonQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Copies `value` into `target[key]` only when it is defined, so encoded bodies carry no `undefined` noise. */
export function setIfDefined(target: JsonObject, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
