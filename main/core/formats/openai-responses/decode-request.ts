// OpenAI Responses request -> canonical (docs/wire-formats.md, OpenAI Responses). Input items are grouped into turns: consecutive
// assistant-side items (message, reasoning, function_call, custom_tool_call) form one assistant message,
// consecutive *_call_output items one user message of tool results.
import type { CanonicalMessage, CanonicalPart, CanonicalRequest, CanonicalTool, ToolResultContent } from '../canonical/canonical-request.ts';
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
import { decodeEnvelope, partsFromEnvelope } from '../canonical/reasoning-envelope.ts';
import { foldSignatureCarriers, type SignatureCarrier } from '../canonical/signature-carriers.ts';
import { readEffort } from '../canonical/thinking-levels.ts';
import type { Warnings } from '../canonical/warnings.ts';
import { decodeOpenaiResponseFormat, decodeOpenaiToolChoice } from '../openai-chat/decode-request.ts';

const handledFields = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens', 'temperature', 'top_p',
  'reasoning', 'text', 'user', 'safety_identifier', 'prompt_cache_key', 'stream', 'store', 'include', 'metadata',
  'client_metadata', 'service_tier', 'truncation', 'stream_options',
]);

function decodeContent(content: unknown, field: string, warnings: Warnings): ToolResultContent[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const parts: ToolResultContent[] = [];
  requireArray(content, field).forEach((item, index) => {
    const record = requireRecord(item, `${field}[${index}]`);
    switch (record.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        parts.push({ type: 'text', text: requireString(record.text, `${field}[${index}].text`) });
        break;
      case 'refusal':
        parts.push({ type: 'text', text: stringOr(record.refusal, '')! });
        break;
      case 'input_image': {
        if (typeof record.image_url !== 'string') {
          warnings.add('OpenAI image file references (file_id) cannot be translated; dropped.');
          break;
        }
        const part: ToolResultContent = { type: 'image', source: mediaSourceFromUrl(record.image_url) };
        if (record.detail === 'low' || record.detail === 'high' || record.detail === 'auto') part.detail = record.detail;
        parts.push(part);
        break;
      }
      case 'input_file': {
        const url = stringOr(record.file_data) ?? stringOr(record.file_url);
        if (url) parts.push({ type: 'document', source: mediaSourceFromUrl(url), title: stringOr(record.filename) });
        else warnings.add('OpenAI file references (file_id) cannot be translated; dropped.');
        break;
      }
      default:
        warnings.add(`OpenAI Responses content parts of type ${String(record.type)} cannot be translated; dropped.`);
    }
  });
  return parts;
}

function decodeReasoning(record: JsonObject): (CanonicalPart | SignatureCarrier)[] {
  const envelope = decodeEnvelope(record.encrypted_content);
  if (envelope) return partsFromEnvelope(envelope);
  const summary = (arrayOr(record.summary) ?? []).map((item) => (isRecord(item) ? stringOr(item.text, '')! : ''));
  const text = (arrayOr(record.content) ?? []).map((item) => (isRecord(item) ? stringOr(item.text, '')! : '')).join('');
  const part: CanonicalPart = { type: 'reasoning', origin: 'openai-responses', summary };
  if (typeof record.id === 'string') part.id = record.id;
  if (text !== '') part.text = text;
  if (typeof record.encrypted_content === 'string') part.encryptedContent = record.encrypted_content;
  return [part];
}

class TurnBuilder {
  readonly messages: CanonicalMessage[] = [];
  private assistant: (CanonicalPart | SignatureCarrier)[] | undefined;
  private readonly warnings: Warnings;

  constructor(warnings: Warnings) {
    this.warnings = warnings;
  }

  addAssistant(parts: (CanonicalPart | SignatureCarrier)[]): void {
    if (!this.assistant) this.assistant = [];
    this.assistant.push(...parts);
  }

  add(message: CanonicalMessage): void {
    this.flush();
    const previous = this.messages.at(-1);
    const isResults = message.content.every((part) => part.type === 'tool_result');
    if (isResults && previous?.role === 'user' && !previous.content.some((part) => part.type !== 'tool_result')) previous.content.push(...message.content);
    else this.messages.push(message);
  }

  flush(): void {
    if (!this.assistant) return;
    this.messages.push({ role: 'assistant', content: foldSignatureCarriers(this.assistant, this.warnings) });
    this.assistant = undefined;
  }
}

function decodeItem(item: unknown, field: string, turns: TurnBuilder, warnings: Warnings): void {
  const record = requireRecord(item, field);
  const type = record.type ?? (record.role !== undefined ? 'message' : undefined);
  switch (type) {
    case 'message': {
      const role = record.role;
      const content = decodeContent(record.content, `${field}.content`, warnings);
      if (role === 'assistant') turns.addAssistant(content);
      else if (role === 'user') turns.add({ role: 'user', content });
      else if (role === 'system' || role === 'developer') turns.add({ role: 'system', instructionRole: role, content: content.filter((part) => part.type === 'text') });
      else invalidRequest(`${field}.role`, 'must be one of user, assistant, system, developer');
      return;
    }
    case 'function_call':
      turns.addAssistant([{ type: 'tool_call', id: requireString(record.call_id, `${field}.call_id`), name: requireString(record.name, `${field}.name`), arguments: stringOr(record.arguments, '')!, kind: 'function' }]);
      return;
    case 'custom_tool_call':
      turns.addAssistant([{ type: 'tool_call', id: requireString(record.call_id, `${field}.call_id`), name: requireString(record.name, `${field}.name`), arguments: JSON.stringify({ input: stringOr(record.input, '') }), kind: 'custom' }]);
      return;
    case 'reasoning':
      turns.addAssistant(decodeReasoning(record));
      return;
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const output = record.output;
      const content = typeof output === 'string' ? (output === '' ? [] : [{ type: 'text' as const, text: output }]) : decodeContent(output ?? '', `${field}.output`, warnings);
      turns.add({ role: 'user', content: [{ type: 'tool_result', toolCallId: requireString(record.call_id, `${field}.call_id`), content, kind: type === 'function_call_output' ? 'function' : 'custom' }] });
      return;
    }
    case 'item_reference':
      return invalidRequest(field, 'is an item_reference: stored items live at OpenAI and cannot be translated for another provider');
    default:
      warnings.add(`OpenAI Responses input items of type ${String(type)} cannot be translated; dropped.`);
  }
}

function decodeTools(value: unknown): CanonicalTool[] {
  if (value === undefined || value === null) return [];
  return requireArray(value, 'tools').map((item, index): CanonicalTool => {
    const record = requireRecord(item, `tools[${index}]`);
    if (record.type === 'function') {
      const tool: CanonicalTool = { kind: 'function', name: requireString(record.name, `tools[${index}].name`), parameters: isRecord(record.parameters) ? record.parameters : { type: 'object', properties: {} } };
      if (typeof record.description === 'string') tool.description = record.description;
      if (record.strict === true) tool.strict = true;
      return tool;
    }
    if (record.type === 'custom') {
      return { kind: 'custom', name: requireString(record.name, `tools[${index}].name`), description: stringOr(record.description), parameters: {}, customFormat: record.format };
    }
    return { kind: 'builtin', format: 'openai-responses', label: String(record.type), raw: record };
  });
}

export function decodeResponsesRequest(body: JsonObject, options: DecodeRequestOptions): CanonicalRequest {
  const { warnings } = options;
  if (typeof body.previous_response_id === 'string') invalidRequest('previous_response_id', 'refers to a conversation stored at OpenAI; send the full input instead');
  const turns = new TurnBuilder(warnings);
  if (typeof body.instructions === 'string' && body.instructions !== '') turns.add({ role: 'system', instructionRole: 'system', content: [{ type: 'text', text: body.instructions }] });
  if (typeof body.input === 'string') turns.add({ role: 'user', content: [{ type: 'text', text: body.input }] });
  else requireArray(body.input, 'input').forEach((item, index) => decodeItem(item, `input[${index}]`, turns, warnings));
  turns.flush();
  const request: CanonicalRequest = { messages: turns.messages, tools: decodeTools(body.tools), stream: body.stream === true };
  const toolChoice = decodeOpenaiToolChoice(body.tool_choice, warnings);
  if (toolChoice) request.toolChoice = toolChoice;
  if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls;
  const maxTokens = numberOr(body.max_output_tokens);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = numberOr(body.temperature);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = numberOr(body.top_p);
  if (topP !== undefined) request.topP = topP;
  if (isRecord(body.reasoning)) {
    const effort = readEffort(body.reasoning.effort);
    const summary = body.reasoning.summary;
    const shown = summary === 'auto' || summary === 'concise' || summary === 'detailed' ? summary : 'none';
    if (effort === 'none') request.thinking = { mode: 'disabled' };
    else if (effort || summary) request.thinking = { mode: 'enabled', ...(effort ? { effort } : {}), summary: shown };
  }
  if (isRecord(body.text)) {
    const format = decodeOpenaiResponseFormat(body.text.format);
    if (format) request.responseFormat = format;
    if (body.text.verbosity !== undefined) warnings.add('text.verbosity has no equivalent outside OpenAI; dropped.');
  }
  const user = stringOr(body.safety_identifier) ?? stringOr(body.user);
  if (user) request.user = user;
  if (typeof body.prompt_cache_key === 'string') request.promptCacheKey = body.prompt_cache_key;
  const unknown = Object.keys(body).filter((key) => !handledFields.has(key) && key !== 'previous_response_id');
  if (unknown.length) warnings.add(`OpenAI Responses request fields without an equivalent were dropped: ${unknown.join(', ')}.`);
  return request;
}
