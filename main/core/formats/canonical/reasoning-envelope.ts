// Stateless carriage of reasoning across formats (docs/translation.md, "Thinking").
//
// When an upstream of format A answers a client of format B, A's reasoning (and Gemini's part signatures) must
// survive the client's next request so it can go back to A unchanged, while never being sent to another family.
// The proxy keeps no session, so the data rides in the one opaque field every client echoes verbatim: the
// Anthropic thinking `signature`, the OpenAI reasoning `encrypted_content`, the Gemini `thoughtSignature`.
// We wrap it in an envelope: base64 of a magic prefix plus JSON. Base64 keeps it valid where a field is typed
// as bytes (Gemini). Provider signatures are base64 of binary data, so they never start with our prefix.
import { Buffer } from 'node:buffer';
import { wireFormats, type WireFormat } from '../../../../shared/wire-format.ts';
import type { ReasoningPart } from './canonical-request.ts';
import { isRecord } from './json-values.ts';

const magic = 'switchyard:1:';
/** base64 of the first 12 bytes of `magic`: every envelope starts with these 16 characters, so a body without
 * them carries no envelope (a cheap byte check on the passthrough path). */
export const encodedMagicPrefix = Buffer.from(magic.slice(0, 12), 'utf8').toString('base64');

export interface CarriedSignature {
  /** A Gemini thoughtSignature that belongs on a neighbouring text or function-call part. */
  signature: string;
  attach: 'next' | 'previous';
}

export interface ReasoningEnvelope {
  /** Foreign reasoning, complete enough to rebuild the original item for its own upstream. */
  reasoning?: Omit<ReasoningPart, 'type'>[];
  geminiSignature?: CarriedSignature;
  /** A copy shown to the user only; the data itself rides on another part. Decoders skip it. */
  displayOnly?: boolean;
}

interface WireEnvelope {
  r?: Omit<ReasoningPart, 'type'>[];
  g?: string;
  a?: 'n' | 'p';
  d?: 1;
}

export function encodeEnvelope(envelope: ReasoningEnvelope): string {
  const wire: WireEnvelope = {};
  if (envelope.reasoning?.length) wire.r = envelope.reasoning;
  if (envelope.geminiSignature) {
    wire.g = envelope.geminiSignature.signature;
    wire.a = envelope.geminiSignature.attach === 'next' ? 'n' : 'p';
  }
  if (envelope.displayOnly) wire.d = 1;
  return Buffer.from(magic + JSON.stringify(wire), 'utf8').toString('base64');
}

export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(encodedMagicPrefix);
}

function isWireFormat(value: unknown): value is WireFormat {
  return typeof value === 'string' && (wireFormats as readonly string[]).includes(value);
}

function readReasoning(value: unknown): Omit<ReasoningPart, 'type'> | undefined {
  if (!isRecord(value) || !isWireFormat(value.origin)) return undefined;
  const part: Omit<ReasoningPart, 'type'> = { origin: value.origin };
  for (const key of ['text', 'signature', 'redactedData', 'encryptedContent', 'id'] as const) {
    if (typeof value[key] === 'string') part[key] = value[key];
  }
  if (Array.isArray(value.summary)) part.summary = value.summary.filter((item): item is string => typeof item === 'string');
  return part;
}

/** Returns the envelope inside `value`, or undefined when `value` is not one of ours (or is damaged). */
export function decodeEnvelope(value: unknown): ReasoningEnvelope | undefined {
  if (!isEnvelope(value)) return undefined;
  let wire: unknown;
  try {
    const text = Buffer.from(value, 'base64').toString('utf8');
    if (!text.startsWith(magic)) return undefined;
    wire = JSON.parse(text.slice(magic.length));
  } catch {
    return undefined;
  }
  if (!isRecord(wire)) return undefined;
  const envelope: ReasoningEnvelope = {};
  if (Array.isArray(wire.r)) {
    envelope.reasoning = wire.r.map(readReasoning).filter((part): part is Omit<ReasoningPart, 'type'> => part !== undefined);
  }
  if (typeof wire.g === 'string') envelope.geminiSignature = { signature: wire.g, attach: wire.a === 'p' ? 'previous' : 'next' };
  if (wire.d === 1) envelope.displayOnly = true;
  return envelope;
}

/** The text a client should display for a reasoning part of any origin. */
export function reasoningDisplayText(part: Pick<ReasoningPart, 'text' | 'summary'>): string {
  if (part.text) return part.text;
  return (part.summary ?? []).join('\n\n');
}

/** A reasoning part without its `type`, as stored in an envelope. */
export function stripReasoningType(part: ReasoningPart): Omit<ReasoningPart, 'type'> {
  const { type: _type, ...rest } = part;
  return rest;
}

/** The canonical parts an envelope found in client history stands for (nothing for display-only copies). */
export function partsFromEnvelope(envelope: ReasoningEnvelope): (ReasoningPart | { type: 'signature_carrier'; signature: string; attach: 'next' | 'previous' })[] {
  if (envelope.displayOnly) return [];
  const parts: (ReasoningPart | { type: 'signature_carrier'; signature: string; attach: 'next' | 'previous' })[] = [];
  for (const carried of envelope.reasoning ?? []) parts.push({ type: 'reasoning', ...carried });
  if (envelope.geminiSignature) parts.push({ type: 'signature_carrier', ...envelope.geminiSignature });
  return parts;
}
