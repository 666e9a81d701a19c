// Canonical parts -> Gemini parts, for request contents (history going upstream) and response candidates
// (answers going to a Gemini client). Reasoning from another format travels, on the client side, in an
// envelope set as the thoughtSignature of the next non-thought part: Gemini CLI drops thought parts from its
// history but keeps signatures on the other parts (reasoning-envelope.ts).
import type { CanonicalPart, ReasoningPart, ToolResultContent } from '../canonical/canonical-request.ts';
import { isRecord, parseJsonObject, parseJsonQuietly, type JsonObject } from '../canonical/json-values.ts';
import { guessMediaType, hasNonTextContent, toolResultText } from '../canonical/media.ts';
import { encodeEnvelope, reasoningDisplayText, stripReasoningType } from '../canonical/reasoning-envelope.ts';
import { isSynthesizedToolCallId } from '../canonical/tool-naming.ts';
import type { Warnings } from '../canonical/warnings.ts';

export interface GeminiPartOptions {
  warnings: Warnings;
  side: 'upstream' | 'client';
  foreignReasoning: 'drop' | 'carry';
  toolName: (name: string) => string;
  /** Upstream side: the function name a tool result answers (Gemini needs it; other formats do not carry it). */
  resultName: (toolCallId: string, fallback: string | undefined) => string;
}

export function encodeMediaPart(part: ToolResultContent): JsonObject {
  if (part.type === 'text') return { text: part.text };
  if (part.source.kind === 'text') return { text: part.source.text };
  const fallback = part.type === 'image' ? 'image/jpeg' : 'application/pdf';
  if (part.source.kind === 'base64') return { inlineData: { mimeType: part.source.mediaType, data: part.source.data } };
  return { fileData: { mimeType: part.source.mediaType ?? guessMediaType(part.source.url, fallback), fileUri: part.source.url } };
}

/** The `response` object of a functionResponse: JSON objects stay objects, text becomes {output} or {error}. */
function functionResponseBody(content: ToolResultContent[], isError: boolean | undefined): JsonObject {
  const text = toolResultText(content);
  if (isError) return { error: text };
  const parsed = parseJsonQuietly(text);
  return isRecord(parsed) ? parsed : { output: text };
}

class PendingEnvelope {
  private reasoning: Omit<ReasoningPart, 'type'>[] = [];

  add(part: ReasoningPart): void {
    this.reasoning.push(stripReasoningType(part));
  }

  get isEmpty(): boolean {
    return this.reasoning.length === 0;
  }

  /** Moves the pending reasoning onto `part` as its thoughtSignature. */
  attachTo(part: JsonObject): void {
    if (this.isEmpty || part.thoughtSignature !== undefined) return;
    part.thoughtSignature = encodeEnvelope({ reasoning: this.reasoning });
    this.reasoning = [];
  }
}

export function encodeGeminiParts(parts: CanonicalPart[], options: GeminiPartOptions): JsonObject[] {
  const out: JsonObject[] = [];
  const pending = new PendingEnvelope();
  let lastThought: JsonObject | undefined;
  const push = (part: JsonObject) => {
    pending.attachTo(part);
    out.push(part);
  };
  for (const part of parts) {
    switch (part.type) {
      case 'reasoning': {
        if (part.origin === 'gemini') {
          out.push({ text: part.text ?? '', thought: true, ...(part.signature ? { thoughtSignature: part.signature } : {}) });
          break;
        }
        if (options.foreignReasoning === 'drop') {
          options.warnings.add(`Reasoning produced by a ${part.origin} model was dropped: Gemini cannot use it.`);
          break;
        }
        pending.add(part);
        lastThought = { text: reasoningDisplayText(part), thought: true, thoughtSignature: encodeEnvelope({ displayOnly: true }) };
        out.push(lastThought);
        break;
      }
      case 'text':
        if (part.text === '' && !part.thoughtSignature) break;
        push({ text: part.text, ...(part.thoughtSignature ? { thoughtSignature: part.thoughtSignature } : {}) });
        break;
      case 'image':
      case 'document':
        push(encodeMediaPart(part));
        break;
      case 'tool_call': {
        const args = parseJsonObject(part.arguments);
        if (!args) options.warnings.add(`Tool call ${part.id} had arguments that are not a JSON object; sent as {"input": <text>}.`);
        const keepId = options.side === 'client' || !isSynthesizedToolCallId(part.id);
        const call: JsonObject = { ...(keepId ? { id: part.id } : {}), name: options.toolName(part.name), args: args ?? { input: part.arguments } };
        push({ functionCall: call, ...(part.thoughtSignature ? { thoughtSignature: part.thoughtSignature } : {}) });
        break;
      }
      case 'tool_result': {
        const name = options.toolName(options.resultName(part.toolCallId, part.name));
        const keepId = !isSynthesizedToolCallId(part.toolCallId);
        push({ functionResponse: { ...(keepId ? { id: part.toolCallId } : {}), name, response: functionResponseBody(part.content, part.isError) } });
        if (hasNonTextContent(part.content)) {
          for (const media of part.content) if (media.type !== 'text') push(encodeMediaPart(media));
        }
        break;
      }
    }
  }
  if (!pending.isEmpty && lastThought) {
    // Nothing followed the foreign reasoning: it rides on its own display part instead.
    delete lastThought.thoughtSignature;
    pending.attachTo(lastThought);
  }
  return out;
}
