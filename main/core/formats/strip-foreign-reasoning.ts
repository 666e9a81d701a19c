// Passthrough after a move (docs/translation.md, "Thinking"). When a conversation was served by another provider
// family through translation, the client holds that family's reasoning wrapped in Switchyard envelopes (in thinking
// signatures, encrypted_content or thoughtSignature). If the same conversation now goes to a provider of the
// client's own format, the body passes through untranslated — and that provider would reject our envelope as an
// invalid signature. This removes exactly those pieces and nothing else. The caller only parses the body when its
// bytes contain the envelope prefix, so ordinary passthrough never pays for this.
import type { WireFormat } from '../../../shared/wire-format.ts';
import { isEnvelope } from './canonical/reasoning-envelope.ts';
import { isRecord } from './canonical/json-values.ts';
import { skipSignatureValidator } from './gemini/encode-request.ts';

export interface StrippedBody {
  body: Record<string, unknown>;
  removed: number;
}

/** A reasoning block whose only content is foreign (its signature/data/encrypted content is one of our envelopes). */
function isForeignReasoningBlock(value: Record<string, unknown>): boolean {
  if ((value.type === 'thinking' && isEnvelope(value.signature)) || (value.type === 'redacted_thinking' && isEnvelope(value.data))) return true;
  if (value.type === 'reasoning' && isEnvelope(value.encrypted_content)) return true;
  return value.thought === true && isEnvelope(value.thoughtSignature);
}

function clean(value: unknown, format: WireFormat, counter: { removed: number }): unknown {
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) {
      if (isRecord(item) && isForeignReasoningBlock(item)) {
        counter.removed += 1;
        continue;
      }
      kept.push(clean(item, format, counter));
    }
    return kept;
  }
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'thoughtSignature' && isEnvelope(inner)) {
      counter.removed += 1;
      // Gemini validates signatures on function calls; the documented placeholder stands in for a missing one.
      if (format === 'gemini' && isRecord(value.functionCall)) result[key] = skipSignatureValidator;
      continue;
    }
    result[key] = clean(inner, format, counter);
  }
  return result;
}

export function stripForeignReasoning(format: WireFormat, body: Record<string, unknown>): StrippedBody {
  const counter = { removed: 0 };
  const cleaned = clean(body, format, counter) as Record<string, unknown>;
  return { body: cleaned, removed: counter.removed };
}
