// Canonical messages -> OpenAI Chat messages. Tool results become `tool` messages; reasoning goes out as
// `reasoning_content` (the field OpenAI-compatible servers use) only when it came from a Chat upstream.
import type { CanonicalMessage, CanonicalPart, ToolResultContent } from '../canonical/canonical-request.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { customToolInput } from '../canonical/client-tools.ts';
import { dataUrl, documentFilename, hasNonTextContent, toolResultText } from '../canonical/media.ts';
import { reasoningDisplayText } from '../canonical/reasoning-envelope.ts';
import type { Warnings } from '../canonical/warnings.ts';

export interface ChatMessageOptions {
  warnings: Warnings;
  toolCallId: (id: string) => string;
  toolName: (name: string) => string;
  /** Client side: reasoning of any origin is shown as reasoning_content. Upstream side: only Chat-born reasoning. */
  side: 'upstream' | 'client';
  isCustomTool: (name: string) => boolean;
}

export function encodeChatContent(parts: ToolResultContent[], warnings: Warnings): string | JsonObject[] {
  // A lone text part is sent as a plain string (what every OpenAI-compatible server accepts); several parts stay
  // separate so block boundaries (Claude Code's system reminders) are not glued together.
  if (parts.length === 1 && parts[0]!.type === 'text') return parts[0]!.text;
  if (parts.length === 0) return '';
  return parts.map((part): JsonObject => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.source.kind === 'text') return { type: 'text', text: part.source.text };
    if (part.type === 'image') {
      const url = part.source.kind === 'base64' ? dataUrl(part.source.mediaType, part.source.data) : part.source.url;
      return { type: 'image_url', image_url: { url, ...(part.detail ? { detail: part.detail } : {}) } };
    }
    if (part.source.kind === 'url') {
      warnings.add('Documents given by URL cannot be sent to OpenAI Chat; sent as a link in text.');
      return { type: 'text', text: part.source.url };
    }
    return { type: 'file', file: { file_data: dataUrl(part.source.mediaType, part.source.data), filename: documentFilename(part.title, part.source.mediaType) } };
  });
}

export function encodeChatToolCalls(parts: CanonicalPart[], options: ChatMessageOptions): JsonObject[] {
  const calls: JsonObject[] = [];
  for (const part of parts) {
    if (part.type !== 'tool_call') continue;
    const name = options.toolName(part.name);
    if (options.side === 'client' && options.isCustomTool(name)) {
      const input = customToolInput(part.arguments);
      calls.push({ id: options.toolCallId(part.id), type: 'custom', custom: { name, input } });
    } else {
      calls.push({ id: options.toolCallId(part.id), type: 'function', function: { name, arguments: part.arguments === '' ? '{}' : part.arguments } });
    }
  }
  return calls;
}

export function encodeChatAssistant(parts: CanonicalPart[], options: ChatMessageOptions): JsonObject {
  const text = parts.filter((part) => part.type === 'text').map((part) => (part as { text: string }).text).join('');
  const message: JsonObject = { role: 'assistant', content: text === '' ? null : text };
  const reasoning = parts.filter((part) => part.type === 'reasoning');
  const shown = reasoning.filter((part) => options.side === 'client' || part.origin === 'openai-chat');
  const reasoningText = shown.map((part) => reasoningDisplayText(part)).filter((item) => item !== '').join('\n\n');
  if (reasoningText) message.reasoning_content = reasoningText;
  if (options.side === 'upstream' && shown.length < reasoning.length) options.warnings.add('Reasoning produced by another model family was dropped: OpenAI Chat upstreams cannot use it.');
  if (options.side === 'client' && reasoning.some((part) => part.signature || part.encryptedContent || part.redactedData)) {
    options.warnings.add('Reasoning signatures cannot travel through an OpenAI Chat client; the next turn continues without them.');
  }
  if (parts.some((part) => (part.type === 'text' || part.type === 'tool_call') && part.thoughtSignature && part.thoughtSignature !== 'skip_thought_signature_validator')) {
    options.warnings.add('Gemini thought signatures cannot travel through OpenAI Chat; dropped.');
  }
  const calls = encodeChatToolCalls(parts, options);
  if (calls.length) message.tool_calls = calls;
  return message;
}

/** A user turn: its tool results as `tool` messages first (they must follow the assistant's calls), then the rest. */
function encodeUserTurn(message: CanonicalMessage, options: ChatMessageOptions): JsonObject[] {
  const out: JsonObject[] = [];
  const moved: ToolResultContent[] = [];
  for (const part of message.content) {
    if (part.type !== 'tool_result') continue;
    let text = toolResultText(part.content);
    if (part.isError) text = text === '' ? 'Error' : `Error: ${text}`;
    if (hasNonTextContent(part.content)) {
      moved.push(...part.content.filter((item) => item.type !== 'text'));
      options.warnings.add('Images in tool results were moved to a user message: OpenAI Chat tool messages carry text only.');
    }
    out.push({ role: 'tool', tool_call_id: options.toolCallId(part.toolCallId), content: text });
  }
  const rest = message.content.filter((part): part is ToolResultContent => part.type === 'text' || part.type === 'image' || part.type === 'document');
  const userParts = [...moved, ...rest];
  if (userParts.length) out.push({ role: 'user', content: encodeChatContent(userParts, options.warnings) });
  return out;
}

export function encodeChatMessages(messages: CanonicalMessage[], options: ChatMessageOptions): JsonObject[] {
  const out: JsonObject[] = [];
  let cacheMarkers = false;
  for (const message of messages) {
    if (message.content.some((part) => 'cacheControl' in part && part.cacheControl)) cacheMarkers = true;
    if (message.role === 'system') {
      const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
      if (text !== '') out.push({ role: 'system', content: text });
    } else if (message.role === 'user') out.push(...encodeUserTurn(message, options));
    else out.push(encodeChatAssistant(message.content, options));
  }
  if (cacheMarkers) options.warnings.add('cache_control markers were dropped: OpenAI formats cache prompts automatically.');
  return out;
}
