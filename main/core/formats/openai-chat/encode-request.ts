// Canonical request -> OpenAI Chat Completions body for an OpenAI-format upstream (docs/wire-formats.md, OpenAI Chat Completions).
import type { CanonicalRequest, CanonicalResponseFormat, CanonicalTool, CanonicalToolChoice } from '../canonical/canonical-request.ts';
import type { EncodeRequestOptions } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { customToolDescription, customToolSchema, fitUserId, looksLikeReasoningModel } from '../canonical/request-helpers.ts';
import { isThinkingOn, thinkingEffort } from '../canonical/thinking-levels.ts';
import { fitToolCallId, fitToolName } from '../canonical/tool-naming.ts';
import { encodeChatMessages } from './encode-messages.ts';

/** OpenAI accepts at most four stop sequences. */
const maxStopSequences = 4;

function encodeTools(tools: CanonicalTool[], options: EncodeRequestOptions, toolName: (name: string) => string): JsonObject[] {
  const encoded: JsonObject[] = [];
  for (const tool of tools) {
    if (tool.kind === 'builtin') {
      if (tool.format === 'openai-chat') encoded.push(tool.raw as JsonObject);
      else options.warnings.add(`The ${tool.format} tool ${tool.label} has no OpenAI Chat equivalent; dropped.`);
      continue;
    }
    const custom = tool.kind === 'custom';
    const description = custom ? customToolDescription(tool.description, tool.customFormat) : tool.description;
    const fn: JsonObject = { name: toolName(tool.name), parameters: custom ? customToolSchema() : tool.parameters };
    if (description) fn.description = description;
    if (tool.strict !== undefined) fn.strict = tool.strict;
    encoded.push({ type: 'function', function: fn });
  }
  return encoded;
}

export function encodeOpenaiToolChoice(choice: CanonicalToolChoice | undefined, toolName: (name: string) => string, flat: boolean): unknown {
  if (!choice) return undefined;
  if (choice.type !== 'tool') return choice.type;
  return flat ? { type: 'function', name: toolName(choice.name) } : { type: 'function', function: { name: toolName(choice.name) } };
}

export function encodeChatResponseFormat(format: CanonicalResponseFormat | undefined): JsonObject | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: format.name ?? 'response', schema: format.schema, ...(format.strict !== undefined ? { strict: format.strict } : {}) } };
}

export function encodeChatRequest(request: CanonicalRequest, options: EncodeRequestOptions): JsonObject {
  const { warnings } = options;
  const toolName = (name: string): string => {
    const fitted = fitToolName(name, 'openai-chat');
    if (fitted !== name) options.renamedTools[fitted] = name;
    return fitted;
  };
  const reasoningModel = looksLikeReasoningModel(options.model);
  const body: JsonObject = {
    model: options.model,
    messages: encodeChatMessages(request.messages, {
      warnings,
      toolCallId: (id) => fitToolCallId(id, 'openai-chat'),
      toolName,
      side: 'upstream',
      isCustomTool: () => false,
    }),
  };
  const tools = encodeTools(request.tools, options, toolName);
  if (tools.length) {
    body.tools = tools;
    const choice = encodeOpenaiToolChoice(request.toolChoice, toolName, false);
    if (choice !== undefined) body.tool_choice = choice;
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.maxOutputTokens !== undefined) body[reasoningModel ? 'max_completion_tokens' : 'max_tokens'] = request.maxOutputTokens;
  const samplers = [['temperature', request.temperature], ['top_p', request.topP]] as const;
  for (const [field, value] of samplers) {
    if (value === undefined) continue;
    if (reasoningModel && value !== 1) warnings.add(`${field} was dropped: OpenAI reasoning models accept only the default.`);
    else if (!reasoningModel) body[field] = value;
  }
  if (request.topK !== undefined) warnings.add('top_k has no OpenAI equivalent; dropped.');
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stopSequences?.length) {
    if (request.stopSequences.length > maxStopSequences) warnings.add(`Only the first ${maxStopSequences} stop sequences were kept (OpenAI limit).`);
    body.stop = request.stopSequences.slice(0, maxStopSequences);
  }
  if (isThinkingOn(request.thinking)) {
    const effort = thinkingEffort(request.thinking);
    if (!reasoningModel) warnings.add(`Thinking was not requested from ${options.model}: it does not look like an OpenAI reasoning model (reasoning_effort would be rejected).`);
    else if (effort) body.reasoning_effort = effort;
  }
  const responseFormat = encodeChatResponseFormat(request.responseFormat);
  if (responseFormat) body.response_format = responseFormat;
  if (request.user) body.user = fitUserId(request.user);
  if (request.promptCacheKey) body.prompt_cache_key = request.promptCacheKey;
  body.stream = options.stream;
  if (options.stream) body.stream_options = { include_usage: true };
  return body;
}
