// Canonical request -> Gemini generateContent body for a Gemini upstream (docs/wire-formats.md, Gemini API). The model and the
// streaming choice live in the URL, not in the body.
import type { CanonicalMessage, CanonicalRequest, CanonicalTool } from '../canonical/canonical-request.ts';
import type { EncodeRequestOptions } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { customToolDescription, customToolSchema, splitLeadingSystem, systemText, toolCallsById } from '../canonical/request-helpers.ts';
import { isThinkingOn, thinkingBudget, thinkingEffort } from '../canonical/thinking-levels.ts';
import { fitToolName } from '../canonical/tool-naming.ts';
import { encodeGeminiParts, type GeminiPartOptions } from './encode-parts.ts';
import { reduceSchemaForGemini } from './reduce-schema.ts';

/** Google's documented value for function calls whose thought signature is unknown (history from elsewhere). */
export const skipSignatureValidator = 'skip_thought_signature_validator';
const maxStopSequences = 5;

function encodeTools(tools: CanonicalTool[], options: EncodeRequestOptions, toolName: (name: string) => string): JsonObject[] {
  const declarations: JsonObject[] = [];
  const builtins: JsonObject[] = [];
  const dropped = new Set<string>();
  for (const tool of tools) {
    if (tool.kind === 'builtin') {
      if (tool.format === 'gemini') builtins.push(tool.raw as JsonObject);
      else options.warnings.add(`The ${tool.format} tool ${tool.label} has no Gemini equivalent; dropped.`);
      continue;
    }
    const custom = tool.kind === 'custom';
    const parameters = reduceSchemaForGemini(custom ? customToolSchema() : tool.parameters, dropped);
    const description = custom ? customToolDescription(tool.description, tool.customFormat) : tool.description;
    declarations.push({ name: toolName(tool.name), ...(description ? { description } : {}), ...(parameters ? { parameters } : {}) });
  }
  if (dropped.size) options.warnings.add(`JSON Schema keywords Gemini does not accept were removed from tool parameters: ${[...dropped].sort().join(', ')}.`);
  return [...(declarations.length ? [{ functionDeclarations: declarations }] : []), ...builtins];
}

function encodeToolConfig(request: CanonicalRequest, toolName: (name: string) => string): JsonObject | undefined {
  const choice = request.toolChoice;
  if (!choice) return undefined;
  if (choice.type === 'tool') return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [toolName(choice.name)] } };
  const modes = { auto: 'AUTO', none: 'NONE', required: 'ANY' } as const;
  return { functionCallingConfig: { mode: modes[choice.type] } };
}

/**
 * Gemini 3 rejects a function call of the current turn without its thought signature. When the history came
 * through a client that could not carry one, the first call of each such model turn gets Google's documented
 * skip value (docs/wire-formats.md, Gemini API, gemini-cli does the same).
 */
function markUnsignedCalls(contents: JsonObject[]): void {
  let lastUserText = -1;
  contents.forEach((content, index) => {
    const parts = content.parts as JsonObject[];
    if (content.role === 'user' && parts.some((part) => part.functionResponse === undefined)) lastUserText = index;
  });
  for (const content of contents.slice(lastUserText + 1)) {
    if (content.role !== 'model') continue;
    const calls = (content.parts as JsonObject[]).filter((part) => part.functionCall !== undefined);
    if (calls.length && !calls.some((part) => part.thoughtSignature)) calls[0]!.thoughtSignature = skipSignatureValidator;
  }
}

function encodeContents(messages: CanonicalMessage[], partOptions: GeminiPartOptions): JsonObject[] {
  const contents: JsonObject[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts = encodeGeminiParts(message.content, partOptions);
    if (parts.length === 0) continue;
    const previous = contents.at(-1);
    if (previous?.role === role) (previous.parts as JsonObject[]).push(...parts);
    else contents.push({ role, parts });
  }
  return contents;
}

export function encodeGeminiRequest(request: CanonicalRequest, options: EncodeRequestOptions): JsonObject {
  const { warnings } = options;
  const toolName = (name: string): string => {
    const fitted = fitToolName(name, 'gemini');
    if (fitted !== name) options.renamedTools[fitted] = name;
    return fitted;
  };
  const calls = toolCallsById(request);
  const partOptions: GeminiPartOptions = {
    warnings,
    side: 'upstream',
    foreignReasoning: options.foreignReasoning,
    toolName,
    resultName: (id, fallback) => calls.get(id)?.name ?? fallback ?? 'unknown_function',
  };
  const { leading, rest } = splitLeadingSystem(request.messages);
  const systemTexts = leading.map(systemText);
  const conversation = rest.filter((message) => {
    if (message.role !== 'system') return true;
    systemTexts.push(systemText(message));
    warnings.add('A system message in the middle of the conversation was moved to Gemini systemInstruction (Gemini has no system turns).');
    return false;
  });
  if (request.messages.some((message) => message.content.some((part) => 'cacheControl' in part && part.cacheControl))) {
    warnings.add('cache_control markers were dropped: Gemini caches prompts implicitly.');
  }
  const body: JsonObject = {};
  const contents = encodeContents(conversation, partOptions);
  if (options.foreignReasoning === 'drop') markUnsignedCalls(contents);
  body.contents = contents;
  const instruction = systemTexts.filter((text) => text !== '');
  if (instruction.length) body.systemInstruction = { parts: instruction.map((text) => ({ text })) };
  const tools = encodeTools(request.tools, options, toolName);
  if (tools.length) body.tools = tools;
  const toolConfig = tools.length ? encodeToolConfig(request, toolName) : undefined;
  if (toolConfig) body.toolConfig = toolConfig;
  if (request.parallelToolCalls === false) warnings.add('Gemini cannot be told to avoid parallel tool calls; parallel_tool_calls=false dropped.');
  const config: JsonObject = {};
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.stopSequences?.length) {
    if (request.stopSequences.length > maxStopSequences) warnings.add(`Only the first ${maxStopSequences} stop sequences were kept (Gemini limit).`);
    config.stopSequences = request.stopSequences.slice(0, maxStopSequences);
  }
  if (isThinkingOn(request.thinking)) {
    const budget = request.thinking.mode === 'adaptive' && request.thinking.budgetTokens === undefined ? -1 : (thinkingBudget(request.thinking) ?? -1);
    config.thinkingConfig = { includeThoughts: request.thinking.summary !== 'none', thinkingBudget: budget };
    if (thinkingEffort(request.thinking) === undefined) delete (config.thinkingConfig as JsonObject).thinkingBudget;
  }
  if (request.responseFormat?.type === 'json_object') config.responseMimeType = 'application/json';
  else if (request.responseFormat?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const dropped = new Set<string>();
    const schema = reduceSchemaForGemini(request.responseFormat.schema, dropped);
    if (schema) config.responseSchema = schema;
    if (dropped.size) warnings.add(`JSON Schema keywords Gemini does not accept were removed from the response schema: ${[...dropped].sort().join(', ')}.`);
  }
  if (Object.keys(config).length) body.generationConfig = config;
  return body;
}
