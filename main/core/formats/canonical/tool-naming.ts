// Tool-call ids and tool names across formats (docs/translation.md, "Tool ids").
//
// Ids pass through unchanged whenever the target accepts them, so the id a client saw is the id the upstream
// issued. Only ids the target would reject are rewritten, deterministically (same input, same output), so a call
// and its result still match inside one request. Gemini often issues no id: we synthesize one with a prefix we
// recognise, and strip it again before the conversation goes back to Gemini.
import { createHash, randomBytes } from 'node:crypto';
import type { WireFormat } from '../../../../shared/wire-format.ts';

// A dash-separated prefix no provider issues (OpenAI: call_/fc_ + alphanumerics, Anthropic: toolu_...).
const synthesizedPrefix = 'sy-gemini-';

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('base64url').replace(/[^a-zA-Z0-9]/g, '').slice(0, length);
}

/** A fresh id for a Gemini function call that came without one. */
export function synthesizeToolCallId(): string {
  return synthesizedPrefix + randomBytes(9).toString('base64url').replace(/[^a-zA-Z0-9]/g, 'x');
}

/** A stable id for a call in client history that has none (Gemini clients): derived from its position. */
export function positionalToolCallId(messageIndex: number, partIndex: number, name: string): string {
  return synthesizedPrefix + shortHash(`${messageIndex}/${partIndex}/${name}`, 12);
}

export function isSynthesizedToolCallId(id: string): boolean {
  return id.startsWith(synthesizedPrefix);
}

const anthropicIdPattern = /^[a-zA-Z0-9_-]+$/;

/**
 * The id to send to `target` for a call whose id is `id`. Anthropic accepts only [a-zA-Z0-9_-]; OpenAI Chat
 * rejects ids longer than 40 characters; the others accept any string of reasonable length.
 */
export function fitToolCallId(id: string, target: WireFormat): string {
  if (target === 'anthropic' && !anthropicIdPattern.test(id)) {
    return `${id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 48)}_${shortHash(id, 10)}`;
  }
  if (target === 'openai-chat' && id.length > 40) return `call_${shortHash(id, 35)}`;
  if (target === 'openai-responses' && id.length > 64) return `call_${shortHash(id, 40)}`;
  return id;
}

const namePatterns: Record<WireFormat, RegExp> = {
  anthropic: /^[a-zA-Z0-9_-]{1,64}$/,
  'openai-chat': /^[a-zA-Z0-9_-]{1,64}$/,
  'openai-responses': /^[a-zA-Z0-9_-]{1,64}$/,
  gemini: /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/,
};

/** A tool name `target` accepts. Names that already fit are returned unchanged. */
export function fitToolName(name: string, target: WireFormat): string {
  if (namePatterns[target].test(name)) return name;
  let safe = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (!/^[a-zA-Z_]/.test(safe)) safe = `_${safe}`;
  return `${safe.slice(0, 54)}_${shortHash(name, 8)}`;
}
