// Anthropic Messages request -> canonical (docs/wire-formats.md, Anthropic Messages).
import type {
  CacheControl,
  CanonicalMessage,
  CanonicalPart,
  CanonicalRequest,
  CanonicalThinking,
  CanonicalTool,
  CanonicalToolChoice,
  MediaSource,
  ToolResultContent,
} from '../canonical/canonical-request.ts';
import type { DecodeRequestOptions } from '../codec.ts';
import {
  arrayOr,
  invalidRequest,
  isRecord,
  numberOr,
  requireArray,
  requireRecord,
  requireString,
  stringOr,
  type JsonObject,
} from '../canonical/json-values.ts';
import { decodeEnvelope, partsFromEnvelope } from '../canonical/reasoning-envelope.ts';
import { foldSignatureCarriers, type SignatureCarrier } from '../canonical/signature-carriers.ts';
import { readEffort } from '../canonical/thinking-levels.ts';
import type { Warnings } from '../canonical/warnings.ts';

const handledFields = new Set([
  'model', 'messages', 'system', 'tools', 'tool_choice', 'max_tokens', 'temperature', 'top_p', 'top_k',
  'stop_sequences', 'thinking', 'metadata', 'stream', 'output_config',
]);

export function readCacheControl(value: unknown): CacheControl | undefined {
  if (!isRecord(value) || value.type !== 'ephemeral') return undefined;
  return typeof value.ttl === 'string' ? { type: 'ephemeral', ttl: value.ttl } : { type: 'ephemeral' };
}

function readSource(source: unknown, field: string, warnings: Warnings): MediaSource | undefined {
  const record = requireRecord(source, field);
  switch (record.type) {
    case 'base64':
      return { kind: 'base64', mediaType: stringOr(record.media_type, 'application/octet-stream')!, data: requireString(record.data, `${field}.data`) };
    case 'url':
      return { kind: 'url', url: requireString(record.url, `${field}.url`) };
    case 'text':
      return { kind: 'text', text: requireString(record.data, `${field}.data`), mediaType: stringOr(record.media_type) };
    default:
      warnings.add(`Anthropic ${String(record.type)} sources (${field}) cannot be translated; dropped.`);
      return undefined;
  }
}

function decodeToolResultContent(content: unknown, field: string, warnings: Warnings): ToolResultContent[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: ToolResultContent[] = [];
  requireArray(content, field).forEach((block, index) => {
    const record = requireRecord(block, `${field}[${index}]`);
    if (record.type === 'text') parts.push({ type: 'text', text: requireString(record.text, `${field}[${index}].text`) });
    else if (record.type === 'image' || record.type === 'document') {
      const source = readSource(record.source, `${field}[${index}].source`, warnings);
      if (source) parts.push(record.type === 'image' ? { type: 'image', source } : { type: 'document', source, title: stringOr(record.title) });
    } else warnings.add(`Anthropic tool_result content of type ${String(record.type)} cannot be translated; dropped.`);
  });
  return parts;
}

function decodeBlock(block: unknown, field: string, warnings: Warnings): (CanonicalPart | SignatureCarrier)[] {
  const record = requireRecord(block, field);
  const cacheControl = readCacheControl(record.cache_control);
  const withCache = <T extends object>(part: T): T => (cacheControl ? { ...part, cacheControl } : part);
  switch (record.type) {
    case 'text':
      return [withCache({ type: 'text' as const, text: requireString(record.text, `${field}.text`) })];
    case 'image': {
      const source = readSource(record.source, `${field}.source`, warnings);
      return source ? [withCache({ type: 'image' as const, source })] : [];
    }
    case 'document': {
      const source = readSource(record.source, `${field}.source`, warnings);
      return source ? [withCache({ type: 'document' as const, source, title: stringOr(record.title) })] : [];
    }
    case 'tool_use':
      return [withCache({
        type: 'tool_call' as const,
        id: requireString(record.id, `${field}.id`),
        name: requireString(record.name, `${field}.name`),
        arguments: JSON.stringify(record.input ?? {}),
        kind: 'function' as const,
      })];
    case 'tool_result':
      return [withCache({
        type: 'tool_result' as const,
        toolCallId: requireString(record.tool_use_id, `${field}.tool_use_id`),
        content: decodeToolResultContent(record.content, `${field}.content`, warnings),
        ...(record.is_error === true ? { isError: true } : {}),
      })];
    case 'thinking': {
      const envelope = decodeEnvelope(record.signature);
      if (envelope) return partsFromEnvelope(envelope);
      const signature = stringOr(record.signature);
      return [{ type: 'reasoning', origin: 'anthropic', text: stringOr(record.thinking, '')!, ...(signature ? { signature } : {}) }];
    }
    case 'redacted_thinking':
      return [{ type: 'reasoning', origin: 'anthropic', redactedData: requireString(record.data, `${field}.data`) }];
    default:
      warnings.add(`Anthropic content blocks of type ${String(record.type)} cannot be translated; dropped.`);
      return [];
  }
}

function decodeMessage(message: unknown, index: number, warnings: Warnings): CanonicalMessage {
  const field = `messages[${index}]`;
  const record = requireRecord(message, field);
  const role = record.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system') invalidRequest(`${field}.role`, 'must be "user", "assistant" or "system"');
  const content = record.content;
  let parts: (CanonicalPart | SignatureCarrier)[];
  if (typeof content === 'string') parts = [{ type: 'text', text: content }];
  else parts = requireArray(content, `${field}.content`).flatMap((block, blockIndex) => decodeBlock(block, `${field}.content[${blockIndex}]`, warnings));
  const decoded: CanonicalMessage = { role, content: foldSignatureCarriers(parts, warnings) };
  if (role === 'system') decoded.instructionRole = 'system';
  return decoded;
}

function decodeSystem(system: unknown, warnings: Warnings): CanonicalMessage | undefined {
  if (system === undefined || system === null) return undefined;
  if (typeof system === 'string') return system === '' ? undefined : { role: 'system', instructionRole: 'system', content: [{ type: 'text', text: system }] };
  const blocks = requireArray(system, 'system').flatMap((block, index) => decodeBlock(block, `system[${index}]`, warnings));
  const content = blocks.filter((part): part is Extract<CanonicalPart, { type: 'text' }> => part.type === 'text');
  return content.length ? { role: 'system', instructionRole: 'system', content } : undefined;
}

function decodeTools(tools: unknown): CanonicalTool[] {
  if (tools === undefined) return [];
  return requireArray(tools, 'tools').map((tool, index): CanonicalTool => {
    const record = requireRecord(tool, `tools[${index}]`);
    const isCustom = record.type === undefined || record.type === 'custom';
    if (!isCustom || record.defer_loading === true) {
      const label = record.defer_loading === true ? `${String(record.name)} (defer_loading)` : String(record.type);
      return { kind: 'builtin', format: 'anthropic', label, raw: record };
    }
    const parameters = isRecord(record.input_schema) ? record.input_schema : { type: 'object', properties: {} };
    const decoded: CanonicalTool = { kind: 'function', name: requireString(record.name, `tools[${index}].name`), parameters };
    if (typeof record.description === 'string') decoded.description = record.description;
    const cacheControl = readCacheControl(record.cache_control);
    if (cacheControl) decoded.cacheControl = cacheControl;
    if (typeof record.strict === 'boolean') decoded.strict = record.strict;
    return decoded;
  });
}

function decodeToolChoice(value: unknown, request: CanonicalRequest): void {
  if (!isRecord(value)) return;
  const choices: Record<string, CanonicalToolChoice> = { auto: { type: 'auto' }, any: { type: 'required' }, none: { type: 'none' } };
  if (value.type === 'tool') request.toolChoice = { type: 'tool', name: requireString(value.name, 'tool_choice.name') };
  else if (typeof value.type === 'string' && choices[value.type]) request.toolChoice = choices[value.type];
  if (value.disable_parallel_tool_use === true) request.parallelToolCalls = false;
}

function decodeThinking(body: JsonObject): CanonicalThinking | undefined {
  const thinking = isRecord(body.thinking) ? body.thinking : undefined;
  const effort = isRecord(body.output_config) ? readEffort(body.output_config.effort) : undefined;
  if (!thinking) return effort ? { mode: 'enabled', effort } : undefined;
  const display = thinking.display === 'omitted' ? { summary: 'none' as const } : {};
  if (thinking.type === 'disabled') return { mode: 'disabled' };
  if (thinking.type === 'adaptive') return { mode: 'adaptive', ...(effort ? { effort } : {}), ...display };
  const budget = numberOr(thinking.budget_tokens);
  return { mode: 'enabled', ...(budget !== undefined ? { budgetTokens: budget } : {}), ...(effort ? { effort } : {}), ...display };
}

export function decodeAnthropicRequest(body: JsonObject, options: DecodeRequestOptions): CanonicalRequest {
  const { warnings } = options;
  const messages = requireArray(body.messages, 'messages').map((message, index) => decodeMessage(message, index, warnings));
  const system = decodeSystem(body.system, warnings);
  const request: CanonicalRequest = {
    messages: system ? [system, ...messages] : messages,
    tools: decodeTools(body.tools),
    stream: body.stream === true,
  };
  decodeToolChoice(body.tool_choice, request);
  const maxTokens = numberOr(body.max_tokens);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  for (const [key, field] of [['temperature', 'temperature'], ['topP', 'top_p'], ['topK', 'top_k']] as const) {
    const value = numberOr(body[field]);
    if (value !== undefined) request[key] = value;
  }
  const stops = arrayOr(body.stop_sequences)?.filter((stop): stop is string => typeof stop === 'string');
  if (stops?.length) request.stopSequences = stops;
  const thinking = decodeThinking(body);
  if (thinking) request.thinking = thinking;
  const outputFormat = isRecord(body.output_config) && isRecord(body.output_config.format) ? body.output_config.format : undefined;
  if (outputFormat?.type === 'json_schema' && isRecord(outputFormat.schema)) request.responseFormat = { type: 'json_schema', schema: outputFormat.schema };
  if (isRecord(body.metadata) && typeof body.metadata.user_id === 'string') request.user = body.metadata.user_id;
  const unknown = Object.keys(body).filter((key) => !handledFields.has(key));
  if (unknown.length) warnings.add(`Anthropic request fields without an equivalent were dropped: ${unknown.join(', ')}.`);
  return request;
}
