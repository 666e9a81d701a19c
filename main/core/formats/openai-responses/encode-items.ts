// Canonical parts -> OpenAI Responses items, for request input (history going upstream) and for response
// output (answers going to a Responses client such as Codex). Output items carry ids and statuses.
import type { CanonicalPart, ReasoningPart, ToolResultContent } from '../canonical/canonical-request.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { customToolInput } from '../canonical/client-tools.ts';
import { newId } from '../canonical/ids.ts';
import { dataUrl, documentFilename } from '../canonical/media.ts';
import { encodeEnvelope, reasoningDisplayText, stripReasoningType } from '../canonical/reasoning-envelope.ts';
import type { Warnings } from '../canonical/warnings.ts';

export interface ResponsesItemOptions {
  warnings: Warnings;
  side: 'upstream' | 'client';
  foreignReasoning: 'drop' | 'carry';
  toolCallId: (id: string) => string;
  toolName: (name: string) => string;
  /** Whether a call to this (already mapped) tool name is a freeform custom tool call. */
  isCustomTool: (name: string, part: { kind: 'function' | 'custom' }) => boolean;
}

export function encodeInputContent(parts: ToolResultContent[], role: 'user' | 'system' | 'developer', warnings: Warnings): JsonObject[] {
  return parts.map((part): JsonObject => {
    if (part.type === 'text') return { type: 'input_text', text: part.text };
    if (part.source.kind === 'text') return { type: 'input_text', text: part.source.text };
    if (role !== 'user') warnings.add('Images in instructions were sent as a user message part.');
    if (part.type === 'image') {
      const url = part.source.kind === 'base64' ? dataUrl(part.source.mediaType, part.source.data) : part.source.url;
      return { type: 'input_image', image_url: url, detail: part.detail ?? 'auto' };
    }
    if (part.source.kind === 'url') return { type: 'input_file', file_url: part.source.url };
    return { type: 'input_file', file_data: dataUrl(part.source.mediaType, part.source.data), filename: documentFilename(part.title, part.source.mediaType) };
  });
}

export function reasoningItem(part: ReasoningPart, options: ResponsesItemOptions): JsonObject | undefined {
  if (part.origin === 'openai-responses') {
    const item: JsonObject = { type: 'reasoning', summary: (part.summary ?? []).map((text) => ({ type: 'summary_text', text })) };
    if (part.id) item.id = part.id;
    else if (options.side === 'client') item.id = newId('rs_');
    if (part.text) item.content = [{ type: 'reasoning_text', text: part.text }];
    if (part.encryptedContent !== undefined) item.encrypted_content = part.encryptedContent;
    return item;
  }
  if (options.foreignReasoning === 'drop') {
    options.warnings.add(`Reasoning produced by a ${part.origin} model was dropped: OpenAI cannot use it.`);
    return undefined;
  }
  const display = reasoningDisplayText(part);
  return {
    id: newId('rs_'),
    type: 'reasoning',
    summary: display === '' ? [] : [{ type: 'summary_text', text: display }],
    encrypted_content: encodeEnvelope({ reasoning: [stripReasoningType(part)] }),
  };
}

export function signatureCarrierItem(signature: string, attach: 'next' | 'previous'): JsonObject {
  return { id: newId('rs_'), type: 'reasoning', summary: [], encrypted_content: encodeEnvelope({ geminiSignature: { signature, attach } }) };
}

export function toolCallItem(part: Extract<CanonicalPart, { type: 'tool_call' }>, options: ResponsesItemOptions): JsonObject {
  const name = options.toolName(part.name);
  const callId = options.toolCallId(part.id);
  const client = options.side === 'client';
  if (options.isCustomTool(name, part)) {
    return { ...(client ? { id: newId('ctc_') } : {}), type: 'custom_tool_call', call_id: callId, name, input: customToolInput(part.arguments), ...(client ? { status: 'completed' } : {}) };
  }
  const args = part.arguments === '' ? '{}' : part.arguments;
  return { ...(client ? { id: newId('fc_') } : {}), type: 'function_call', call_id: callId, name, arguments: args, ...(client ? { status: 'completed' } : {}) };
}

function messageItem(texts: string[], side: 'upstream' | 'client'): JsonObject {
  if (side === 'upstream') return { type: 'message', role: 'assistant', content: texts.join('') };
  return {
    id: newId('msg_'),
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: texts.join(''), annotations: [], logprobs: [] }],
  };
}

/** The items of one assistant turn, in order. Consecutive text parts share one message item. */
export function encodeAssistantItems(parts: CanonicalPart[], options: ResponsesItemOptions): JsonObject[] {
  const items: JsonObject[] = [];
  let texts: string[] = [];
  const flushText = () => {
    if (texts.length && texts.join('') !== '') items.push(messageItem(texts, options.side));
    texts = [];
  };
  for (const part of parts) {
    if ((part.type === 'text' || part.type === 'tool_call') && part.thoughtSignature) {
      flushText();
      if (options.foreignReasoning === 'carry') items.push(signatureCarrierItem(part.thoughtSignature, 'next'));
      else if (part.thoughtSignature !== 'skip_thought_signature_validator') options.warnings.add('Gemini thought signatures cannot be sent to an OpenAI upstream; dropped.');
    }
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'tool_call') {
      flushText();
      items.push(toolCallItem(part, options));
    } else if (part.type === 'reasoning') {
      flushText();
      const item = reasoningItem(part, options);
      if (item) items.push(item);
    }
  }
  flushText();
  return items;
}
