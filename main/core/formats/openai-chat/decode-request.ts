// OpenAI Chat Completions request -> canonical (docs/wire-formats.md, OpenAI Chat Completions).
import type {
  CanonicalMessage,
  CanonicalPart,
  CanonicalRequest,
  CanonicalResponseFormat,
  CanonicalTool,
  CanonicalToolChoice,
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
import { mediaSourceFromUrl } from '../canonical/media.ts';
import { readEffort } from '../canonical/thinking-levels.ts';
import type { Warnings } from '../canonical/warnings.ts';

const handledFields = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_tokens', 'max_completion_tokens', 'temperature',
  'top_p', 'stop', 'presence_penalty', 'frequency_penalty', 'seed', 'reasoning_effort', 'response_format', 'user',
  'safety_identifier', 'prompt_cache_key', 'stream', 'stream_options', 'store', 'metadata', 'n',
]);

function decodeContentParts(content: unknown, field: string, warnings: Warnings): ToolResultContent[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const parts: ToolResultContent[] = [];
  requireArray(content, field).forEach((item, index) => {
    const record = requireRecord(item, `${field}[${index}]`);
    switch (record.type) {
      case 'text':
        parts.push({ type: 'text', text: requireString(record.text, `${field}[${index}].text`) });
        break;
      case 'refusal':
        parts.push({ type: 'text', text: stringOr(record.refusal, '')! });
        break;
      case 'image_url': {
        const image = requireRecord(record.image_url, `${field}[${index}].image_url`);
        const part: ToolResultContent = { type: 'image', source: mediaSourceFromUrl(requireString(image.url, `${field}[${index}].image_url.url`)) };
        if (image.detail === 'low' || image.detail === 'high' || image.detail === 'auto') part.detail = image.detail;
        parts.push(part);
        break;
      }
      case 'file': {
        const file = isRecord(record.file) ? record.file : {};
        if (typeof file.file_data === 'string') parts.push({ type: 'document', source: mediaSourceFromUrl(file.file_data), title: stringOr(file.filename) });
        else warnings.add('OpenAI file references (file_id) cannot be translated; dropped.');
        break;
      }
      default:
        warnings.add(`OpenAI Chat content parts of type ${String(record.type)} cannot be translated; dropped.`);
    }
  });
  return parts;
}

function decodeToolCalls(value: unknown, field: string): CanonicalPart[] {
  return (arrayOr(value) ?? []).map((item, index): CanonicalPart => {
    const record = requireRecord(item, `${field}[${index}]`);
    const id = requireString(record.id, `${field}[${index}].id`);
    if (record.type === 'custom') {
      const custom = requireRecord(record.custom, `${field}[${index}].custom`);
      return { type: 'tool_call', id, name: requireString(custom.name, `${field}[${index}].custom.name`), arguments: JSON.stringify({ input: stringOr(custom.input, '') }), kind: 'custom' };
    }
    const fn = requireRecord(record.function, `${field}[${index}].function`);
    return { type: 'tool_call', id, name: requireString(fn.name, `${field}[${index}].function.name`), arguments: stringOr(fn.arguments, '')!, kind: 'function' };
  });
}

function appendToolResult(messages: CanonicalMessage[], part: CanonicalPart): void {
  const previous = messages.at(-1);
  if (previous?.role === 'user' && !previous.content.some((existing) => existing.type !== 'tool_result')) previous.content.push(part);
  else messages.push({ role: 'user', content: [part] });
}

function decodeMessages(value: unknown, warnings: Warnings): CanonicalMessage[] {
  const messages: CanonicalMessage[] = [];
  requireArray(value, 'messages').forEach((item, index) => {
    const field = `messages[${index}]`;
    const record = requireRecord(item, field);
    switch (record.role) {
      case 'system':
      case 'developer': {
        const content = decodeContentParts(record.content, `${field}.content`, warnings).filter((part) => part.type === 'text');
        messages.push({ role: 'system', instructionRole: record.role, content });
        break;
      }
      case 'user':
        messages.push({ role: 'user', content: decodeContentParts(record.content, `${field}.content`, warnings) });
        break;
      case 'assistant': {
        const content: CanonicalPart[] = [];
        const reasoning = stringOr(record.reasoning_content) ?? stringOr(record.reasoning);
        if (reasoning) content.push({ type: 'reasoning', origin: 'openai-chat', text: reasoning });
        content.push(...decodeContentParts(record.content, `${field}.content`, warnings));
        if (typeof record.refusal === 'string' && record.refusal !== '') content.push({ type: 'text', text: record.refusal });
        content.push(...decodeToolCalls(record.tool_calls, `${field}.tool_calls`));
        if (isRecord(record.function_call)) warnings.add('Legacy function_call messages cannot be translated; dropped.');
        messages.push({ role: 'assistant', content });
        break;
      }
      case 'tool':
        appendToolResult(messages, {
          type: 'tool_result',
          toolCallId: requireString(record.tool_call_id, `${field}.tool_call_id`),
          content: decodeContentParts(record.content, `${field}.content`, warnings),
        });
        break;
      case 'function':
        warnings.add('Legacy function-role messages cannot be translated; dropped.');
        break;
      default:
        invalidRequest(`${field}.role`, 'must be one of system, developer, user, assistant, tool');
    }
  });
  return messages;
}

function decodeTools(value: unknown): CanonicalTool[] {
  if (value === undefined || value === null) return [];
  return requireArray(value, 'tools').map((item, index): CanonicalTool => {
    const record = requireRecord(item, `tools[${index}]`);
    if (record.type === 'custom') {
      const custom = requireRecord(record.custom, `tools[${index}].custom`);
      return { kind: 'custom', name: requireString(custom.name, `tools[${index}].custom.name`), description: stringOr(custom.description), parameters: {}, customFormat: custom.format };
    }
    if (record.type !== 'function') return { kind: 'builtin', format: 'openai-chat', label: String(record.type), raw: record };
    const fn = requireRecord(record.function, `tools[${index}].function`);
    const tool: CanonicalTool = { kind: 'function', name: requireString(fn.name, `tools[${index}].function.name`), parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} } };
    if (typeof fn.description === 'string') tool.description = fn.description;
    if (typeof fn.strict === 'boolean') tool.strict = fn.strict;
    return tool;
  });
}

export function decodeOpenaiToolChoice(value: unknown, warnings: Warnings): CanonicalToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (!isRecord(value)) return undefined;
  const named = isRecord(value.function) ? value.function.name : isRecord(value.custom) ? value.custom.name : value.name;
  if ((value.type === 'function' || value.type === 'custom') && typeof named === 'string') return { type: 'tool', name: named };
  warnings.add(`tool_choice of type ${String(value.type)} cannot be translated; the model chooses freely.`);
  return { type: 'auto' };
}

export function decodeOpenaiResponseFormat(value: unknown): CanonicalResponseFormat | undefined {
  if (!isRecord(value)) return undefined;
  if (value.type === 'json_object') return { type: 'json_object' };
  if (value.type === 'json_schema') {
    const spec = isRecord(value.json_schema) ? value.json_schema : value;
    if (!isRecord(spec.schema)) return { type: 'json_object' };
    return { type: 'json_schema', schema: spec.schema, name: stringOr(spec.name), ...(typeof spec.strict === 'boolean' ? { strict: spec.strict } : {}) };
  }
  return value.type === 'text' ? { type: 'text' } : undefined;
}

export function decodeChatRequest(body: JsonObject, options: DecodeRequestOptions): CanonicalRequest {
  const { warnings } = options;
  const request: CanonicalRequest = { messages: decodeMessages(body.messages, warnings), tools: decodeTools(body.tools), stream: body.stream === true };
  const toolChoice = decodeOpenaiToolChoice(body.tool_choice, warnings);
  if (toolChoice) request.toolChoice = toolChoice;
  if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls;
  const maxTokens = numberOr(body.max_completion_tokens) ?? numberOr(body.max_tokens);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  for (const [key, field] of [['temperature', 'temperature'], ['topP', 'top_p'], ['presencePenalty', 'presence_penalty'], ['frequencyPenalty', 'frequency_penalty'], ['seed', 'seed']] as const) {
    const value = numberOr(body[field]);
    if (value !== undefined) request[key] = value;
  }
  if (typeof body.stop === 'string') request.stopSequences = [body.stop];
  else if (Array.isArray(body.stop)) request.stopSequences = body.stop.filter((stop): stop is string => typeof stop === 'string');
  const effort = readEffort(body.reasoning_effort);
  if (effort) request.thinking = effort === 'none' ? { mode: 'disabled' } : { mode: 'enabled', effort };
  const responseFormat = decodeOpenaiResponseFormat(body.response_format);
  if (responseFormat) request.responseFormat = responseFormat;
  const user = stringOr(body.safety_identifier) ?? stringOr(body.user);
  if (user) request.user = user;
  if (typeof body.prompt_cache_key === 'string') request.promptCacheKey = body.prompt_cache_key;
  if (typeof body.n === 'number' && body.n > 1) warnings.add('n > 1 (several choices) cannot be translated; one choice is returned.');
  const unknown = Object.keys(body).filter((key) => !handledFields.has(key));
  if (unknown.length) warnings.add(`OpenAI Chat request fields without an equivalent were dropped: ${unknown.join(', ')}.`);
  return request;
}
