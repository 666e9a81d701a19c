// Canonical request -> OpenAI Responses body for a Responses upstream (docs/wire-formats.md, OpenAI Responses). The proxy is
// stateless, so history is always sent in full with store:false, and encrypted reasoning is requested back.
import type { CanonicalMessage, CanonicalRequest, CanonicalTool } from '../canonical/canonical-request.ts';
import type { EncodeRequestOptions } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { toolResultText } from '../canonical/media.ts';
import { fitUserId, looksLikeReasoningModel, splitLeadingSystem, systemText } from '../canonical/request-helpers.ts';
import { isThinkingOn, thinkingEffort } from '../canonical/thinking-levels.ts';
import { fitToolCallId, fitToolName } from '../canonical/tool-naming.ts';
import { encodeChatResponseFormat, encodeOpenaiToolChoice } from '../openai-chat/encode-request.ts';
import { encodeAssistantItems, encodeInputContent, type ResponsesItemOptions } from './encode-items.ts';

function encodeTools(tools: CanonicalTool[], options: EncodeRequestOptions, toolName: (name: string) => string): JsonObject[] {
  const encoded: JsonObject[] = [];
  for (const tool of tools) {
    if (tool.kind === 'builtin') {
      if (tool.format === 'openai-responses') encoded.push(tool.raw as JsonObject);
      else options.warnings.add(`The ${tool.format} tool ${tool.label} has no OpenAI Responses equivalent; dropped.`);
      continue;
    }
    if (tool.kind === 'custom') {
      encoded.push({ type: 'custom', name: toolName(tool.name), ...(tool.description ? { description: tool.description } : {}), ...(tool.customFormat ? { format: tool.customFormat } : {}) });
      continue;
    }
    // Responses function tools default to strict mode, which rejects ordinary schemas: say what we mean.
    encoded.push({ type: 'function', name: toolName(tool.name), ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters, strict: tool.strict ?? false });
  }
  return encoded;
}

function encodeTurn(message: CanonicalMessage, itemOptions: ResponsesItemOptions): JsonObject[] {
  const { warnings } = itemOptions;
  if (message.role === 'assistant') return encodeAssistantItems(message.content, itemOptions);
  if (message.role === 'system') {
    const text = systemText(message);
    return text === '' ? [] : [{ type: 'message', role: message.instructionRole ?? 'developer', content: [{ type: 'input_text', text }] }];
  }
  const items: JsonObject[] = [];
  for (const part of message.content) {
    if (part.type !== 'tool_result') continue;
    const callId = itemOptions.toolCallId(part.toolCallId);
    const onlyText = part.content.every((item) => item.type === 'text');
    let output: unknown = onlyText ? toolResultText(part.content) : encodeInputContent(part.content, 'user', warnings);
    if (part.isError && typeof output === 'string') output = output === '' ? 'Error' : `Error: ${output}`;
    items.push({ type: part.kind === 'custom' ? 'custom_tool_call_output' : 'function_call_output', call_id: callId, output });
  }
  const rest = message.content.filter((part) => part.type === 'text' || part.type === 'image' || part.type === 'document');
  if (rest.length) items.push({ type: 'message', role: 'user', content: encodeInputContent(rest, 'user', warnings) });
  return items;
}

export function encodeResponsesRequest(request: CanonicalRequest, options: EncodeRequestOptions): JsonObject {
  const { warnings } = options;
  const toolName = (name: string): string => {
    const fitted = fitToolName(name, 'openai-responses');
    if (fitted !== name) options.renamedTools[fitted] = name;
    return fitted;
  };
  const declaredCustom = new Set(request.tools.flatMap((tool) => (tool.kind === 'custom' ? [toolName(tool.name)] : [])));
  const itemOptions: ResponsesItemOptions = {
    warnings,
    side: 'upstream',
    foreignReasoning: options.foreignReasoning,
    toolCallId: (id) => fitToolCallId(id, 'openai-responses'),
    toolName,
    isCustomTool: (name, part) => part.kind === 'custom' && declaredCustom.has(name),
  };
  const { leading, rest } = splitLeadingSystem(request.messages);
  if (request.messages.some((message) => message.content.some((part) => 'cacheControl' in part && part.cacheControl))) {
    warnings.add('cache_control markers were dropped: OpenAI formats cache prompts automatically.');
  }
  const reasoningModel = looksLikeReasoningModel(options.model);
  const body: JsonObject = {
    model: options.model,
    instructions: leading.map(systemText).filter((text) => text !== '').join('\n\n'),
    input: rest.flatMap((message) => encodeTurn(message, itemOptions)),
    store: false,
  };
  const tools = encodeTools(request.tools, options, toolName);
  if (tools.length) {
    body.tools = tools;
    const choice = encodeOpenaiToolChoice(request.toolChoice, toolName, true);
    if (choice !== undefined) body.tool_choice = choice;
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  for (const [field, value] of [['temperature', request.temperature], ['top_p', request.topP]] as const) {
    if (value === undefined) continue;
    if (reasoningModel && value !== 1) warnings.add(`${field} was dropped: OpenAI reasoning models accept only the default.`);
    else if (!reasoningModel) body[field] = value;
  }
  for (const [field, value] of [['top_k', request.topK], ['presence_penalty', request.presencePenalty], ['frequency_penalty', request.frequencyPenalty], ['seed', request.seed]] as const) {
    if (value !== undefined) warnings.add(`${field} has no OpenAI Responses equivalent; dropped.`);
  }
  if (request.stopSequences?.length) warnings.add('Stop sequences have no OpenAI Responses equivalent; dropped.');
  if (isThinkingOn(request.thinking)) {
    const effort = thinkingEffort(request.thinking);
    if (!reasoningModel) warnings.add(`Thinking was not requested from ${options.model}: it does not look like an OpenAI reasoning model.`);
    else {
      const summary = request.thinking.summary === 'none' ? undefined : (request.thinking.summary ?? 'auto');
      body.reasoning = { ...(effort ? { effort } : {}), ...(summary ? { summary } : {}) };
      body.include = ['reasoning.encrypted_content'];
    }
  }
  const format = encodeChatResponseFormat(request.responseFormat);
  if (format) {
    const spec = format.json_schema as JsonObject | undefined;
    body.text = { format: spec ? { type: 'json_schema', ...spec } : format };
  }
  if (request.user) body.user = fitUserId(request.user);
  if (request.promptCacheKey) body.prompt_cache_key = request.promptCacheKey;
  body.stream = options.stream;
  return body;
}
