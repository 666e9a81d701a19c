// Canonical request -> Anthropic Messages body for an Anthropic upstream (docs/wire-formats.md, Anthropic Messages).
import type { CanonicalMessage, CanonicalRequest, CanonicalTool } from '../canonical/canonical-request.ts';
import type { EncodeRequestOptions } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { customToolDescription, customToolSchema, splitLeadingSystem } from '../canonical/request-helpers.ts';
import { isThinkingOn, thinkingBudget } from '../canonical/thinking-levels.ts';
import { fitToolCallId, fitToolName } from '../canonical/tool-naming.ts';
import { encodeAnthropicParts, encodeCacheControl, type AnthropicPartOptions } from './encode-parts.ts';

/** Anthropic requires max_tokens; other formats may leave it out. */
export const defaultAnthropicMaxTokens = 8192;
const minimumThinkingBudget = 1024;

function encodeTools(tools: CanonicalTool[], options: EncodeRequestOptions, toolName: (name: string) => string): JsonObject[] {
  const encoded: JsonObject[] = [];
  for (const tool of tools) {
    if (tool.kind === 'builtin') {
      if (tool.format === 'anthropic') encoded.push(tool.raw as JsonObject);
      else options.warnings.add(`The ${tool.format} tool ${tool.label} has no Anthropic equivalent; dropped.`);
      continue;
    }
    const schema = tool.kind === 'custom' ? customToolSchema() : { type: 'object', ...tool.parameters };
    const description = tool.kind === 'custom' ? customToolDescription(tool.description, tool.customFormat) : tool.description;
    encoded.push({
      name: toolName(tool.name),
      ...(description ? { description } : {}),
      input_schema: schema,
      ...encodeCacheControl(tool.cacheControl, true),
    });
  }
  return encoded;
}

function encodeToolChoice(request: CanonicalRequest, toolName: (name: string) => string): JsonObject | undefined {
  const choice = request.toolChoice;
  let encoded: JsonObject | undefined;
  if (choice?.type === 'auto') encoded = { type: 'auto' };
  else if (choice?.type === 'none') encoded = { type: 'none' };
  else if (choice?.type === 'required') encoded = { type: 'any' };
  else if (choice?.type === 'tool') encoded = { type: 'tool', name: toolName(choice.name) };
  if (request.parallelToolCalls === false && encoded?.type !== 'none') encoded = { ...(encoded ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return encoded;
}

/** Anthropic wants alternating turns with tool results first in their user turn: merge neighbours of one role. */
function encodeMessages(messages: CanonicalMessage[], partOptions: AnthropicPartOptions): JsonObject[] {
  const encoded: { role: string; content: JsonObject[] }[] = [];
  for (const message of messages) {
    const blocks = encodeAnthropicParts(message.content, partOptions);
    if (blocks.length === 0) continue;
    const previous = encoded.at(-1);
    if (previous && previous.role === message.role && message.role !== 'system') previous.content.push(...blocks);
    else encoded.push({ role: message.role, content: blocks });
  }
  for (const message of encoded) {
    if (message.role !== 'user') continue;
    const results = message.content.filter((block) => block.type === 'tool_result');
    if (results.length && message.content[0]?.type !== 'tool_result') {
      message.content = [...results, ...message.content.filter((block) => block.type !== 'tool_result')];
    }
  }
  return encoded;
}

/** Anthropic rejects thinking when the last assistant turn has a tool call but no thinking block before it. */
function lastAssistantLacksThinking(messages: JsonObject[]): boolean {
  const last = [...messages].reverse().find((message) => message.role === 'assistant');
  const content = (last?.content ?? []) as JsonObject[];
  if (!content.some((block) => block.type === 'tool_use')) return false;
  const first = content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking';
}

function applyThinking(request: CanonicalRequest, body: JsonObject, messages: JsonObject[], options: EncodeRequestOptions): void {
  if (!isThinkingOn(request.thinking)) return;
  const choice = body.tool_choice as JsonObject | undefined;
  if (choice?.type === 'any' || choice?.type === 'tool') {
    options.warnings.add('Thinking was turned off for this request: Anthropic does not allow thinking when a tool call is forced.');
    return;
  }
  if (lastAssistantLacksThinking(messages)) {
    options.warnings.add('Thinking was turned off for this request: the last assistant tool call has no Anthropic thinking block to continue from.');
    return;
  }
  let budget = Math.max(minimumThinkingBudget, thinkingBudget(request.thinking) ?? 8192);
  const maxTokens = body.max_tokens as number;
  if (budget >= maxTokens) {
    if (request.maxOutputTokens === undefined) body.max_tokens = budget + defaultAnthropicMaxTokens;
    else if (maxTokens - 1 >= minimumThinkingBudget) budget = maxTokens - 1;
    else {
      options.warnings.add(`Thinking was turned off: max_tokens ${maxTokens} leaves no room for Anthropic's minimum thinking budget.`);
      return;
    }
  }
  body.thinking = { type: 'enabled', budget_tokens: budget };
  for (const field of ['temperature', 'top_k'] as const) {
    if (body[field] !== undefined && !(field === 'temperature' && body[field] === 1)) {
      options.warnings.add(`${field} was dropped: Anthropic does not accept it together with thinking.`);
      delete body[field];
    }
  }
}

export function encodeAnthropicRequest(request: CanonicalRequest, options: EncodeRequestOptions): JsonObject {
  const { warnings } = options;
  const toolName = (name: string): string => {
    const fitted = fitToolName(name, 'anthropic');
    if (fitted !== name) options.renamedTools[fitted] = name;
    return fitted;
  };
  const partOptions: AnthropicPartOptions = {
    warnings,
    foreignReasoning: options.foreignReasoning,
    toolCallId: (id) => fitToolCallId(id, 'anthropic'),
    toolName,
    keepCacheControl: true,
  };
  const { leading, rest } = splitLeadingSystem(request.messages);
  const body: JsonObject = { model: options.model };
  const systemBlocks = leading.flatMap((message) => encodeAnthropicParts(message.content, partOptions));
  if (systemBlocks.length) body.system = systemBlocks;
  const messages = encodeMessages(rest, partOptions);
  body.messages = messages;
  body.max_tokens = request.maxOutputTokens ?? defaultAnthropicMaxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.stopSequences?.length) body.stop_sequences = request.stopSequences;
  const tools = encodeTools(request.tools, options, toolName);
  if (tools.length) body.tools = tools;
  const toolChoice = tools.length ? encodeToolChoice(request, toolName) : undefined;
  if (toolChoice) body.tool_choice = toolChoice;
  applyThinking(request, body, messages, options);
  if (request.responseFormat?.type === 'json_schema') body.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema } };
  else if (request.responseFormat?.type === 'json_object') warnings.add('JSON mode without a schema has no Anthropic equivalent; dropped.');
  if (request.user) body.metadata = { user_id: request.user };
  for (const [field, value] of [['presence_penalty', request.presencePenalty], ['frequency_penalty', request.frequencyPenalty], ['seed', request.seed]] as const) {
    if (value !== undefined) warnings.add(`${field} has no Anthropic equivalent; dropped.`);
  }
  body.stream = options.stream;
  return body;
}
