// Canonical parts -> Anthropic content blocks. Shared by the request encoder (history going upstream) and the
// response encoder (answers going to an Anthropic client), which differ only in what they do with reasoning
// from another format: an upstream never gets it, a client carries it in an envelope (reasoning-envelope.ts).
import type { CacheControl, CanonicalPart, MediaSource, ReasoningPart, ToolResultContent } from '../canonical/canonical-request.ts';
import { parseJsonObject, type JsonObject } from '../canonical/json-values.ts';
import { encodeEnvelope, reasoningDisplayText, stripReasoningType } from '../canonical/reasoning-envelope.ts';
import type { Warnings } from '../canonical/warnings.ts';

export interface AnthropicPartOptions {
  warnings: Warnings;
  foreignReasoning: 'drop' | 'carry';
  toolCallId: (id: string) => string;
  toolName: (name: string) => string;
  /** Whether cache_control markers are written (Anthropic upstreams: yes; clients: never needed). */
  keepCacheControl: boolean;
}

export function encodeCacheControl(cacheControl: CacheControl | undefined, keep: boolean): JsonObject {
  if (!cacheControl || !keep) return {};
  return { cache_control: cacheControl.ttl ? { type: 'ephemeral', ttl: cacheControl.ttl } : { type: 'ephemeral' } };
}

function encodeSource(source: MediaSource, kind: 'image' | 'document'): JsonObject {
  if (source.kind === 'base64') return { type: 'base64', media_type: source.mediaType, data: source.data };
  if (source.kind === 'url') return { type: 'url', url: source.url };
  return kind === 'document' ? { type: 'text', media_type: 'text/plain', data: source.text } : { type: 'url', url: '' };
}

function encodeMedia(part: ToolResultContent, keepCache: boolean): JsonObject | undefined {
  const cache = encodeCacheControl(part.cacheControl, keepCache);
  if (part.type === 'text') return part.text === '' ? undefined : { type: 'text', text: part.text, ...cache };
  if (part.type === 'image') {
    if (part.source.kind === 'text') return { type: 'text', text: part.source.text, ...cache };
    return { type: 'image', source: encodeSource(part.source, 'image'), ...cache };
  }
  return { type: 'document', source: encodeSource(part.source, 'document'), ...(part.title ? { title: part.title } : {}), ...cache };
}

function carrierThinking(signature: string, display = ''): JsonObject {
  return { type: 'thinking', thinking: display, signature };
}

/** A reasoning part as an Anthropic block, or undefined when it must not (or cannot) be sent. */
export function encodeReasoning(part: ReasoningPart, options: AnthropicPartOptions): JsonObject | undefined {
  if (part.origin === 'anthropic') {
    if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
    if (part.signature) return { type: 'thinking', thinking: part.text ?? '', signature: part.signature };
    options.warnings.add('Anthropic thinking without a signature cannot be sent back; dropped.');
    return undefined;
  }
  if (options.foreignReasoning === 'drop') {
    options.warnings.add(`Reasoning produced by a ${part.origin} model was dropped: Anthropic cannot verify it.`);
    return undefined;
  }
  return carrierThinking(encodeEnvelope({ reasoning: [stripReasoningType(part)] }), reasoningDisplayText(part));
}

/** A Gemini part signature as a carrier block next to the part (client side only). */
export function geminiSignatureCarrier(signature: string, attach: 'next' | 'previous'): JsonObject {
  return carrierThinking(encodeEnvelope({ geminiSignature: { signature, attach } }));
}

export function encodeAnthropicParts(parts: CanonicalPart[], options: AnthropicPartOptions): JsonObject[] {
  const blocks: JsonObject[] = [];
  const keep = options.keepCacheControl;
  for (const part of parts) {
    switch (part.type) {
      case 'text':
      case 'image':
      case 'document': {
        if (part.type === 'text' && part.thoughtSignature) pushGeminiSignature(part.thoughtSignature, blocks, options);
        const block = encodeMedia(part, keep);
        if (block) blocks.push(block);
        break;
      }
      case 'tool_call': {
        if (part.thoughtSignature) pushGeminiSignature(part.thoughtSignature, blocks, options);
        let input = parseJsonObject(part.arguments);
        if (!input) {
          options.warnings.add(`Tool call ${part.id} had arguments that are not a JSON object; sent as {"input": <text>}.`);
          input = { input: part.arguments };
        }
        blocks.push({ type: 'tool_use', id: options.toolCallId(part.id), name: options.toolName(part.name), input, ...encodeCacheControl(part.cacheControl, keep) });
        break;
      }
      case 'tool_result': {
        const content = part.content.map((item) => encodeMedia(item, false)).filter((block): block is JsonObject => block !== undefined);
        blocks.push({
          type: 'tool_result',
          tool_use_id: options.toolCallId(part.toolCallId),
          content,
          ...(part.isError ? { is_error: true } : {}),
          ...encodeCacheControl(part.cacheControl, keep),
        });
        break;
      }
      case 'reasoning': {
        const block = encodeReasoning(part, options);
        if (block) blocks.push(block);
        break;
      }
    }
  }
  return blocks;
}

function pushGeminiSignature(signature: string, blocks: JsonObject[], options: AnthropicPartOptions): void {
  if (options.foreignReasoning === 'carry') blocks.push(geminiSignatureCarrier(signature, 'next'));
  else if (signature !== 'skip_thought_signature_validator') options.warnings.add('Gemini thought signatures cannot be sent to an Anthropic upstream; dropped.');
}
