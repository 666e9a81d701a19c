// Gemini generateContent request -> canonical (docs/wire-formats.md, Gemini API). Gemini clients may leave function-call ids
// out; calls then get positional ids and each functionResponse is paired with the call it answers (same
// name, in order) so the ids match on both sides.
import type { CanonicalMessage, CanonicalPart, CanonicalRequest, CanonicalThinking, CanonicalTool, MediaSource, ToolResultContent } from '../canonical/canonical-request.ts';
import type { DecodeRequestOptions } from '../codec.ts';
import { arrayOr, invalidRequest, isRecord, numberOr, requireArray, requireRecord, requireString, stringOr, type JsonObject } from '../canonical/json-values.ts';
import { decodeEnvelope, partsFromEnvelope } from '../canonical/reasoning-envelope.ts';
import { foldSignatureCarriers, type SignatureCarrier } from '../canonical/signature-carriers.ts';
import { positionalToolCallId } from '../canonical/tool-naming.ts';
import type { Warnings } from '../canonical/warnings.ts';
import { geminiSchemaToJsonSchema } from './reduce-schema.ts';

const handledFields = new Set(['contents', 'systemInstruction', 'system_instruction', 'tools', 'toolConfig', 'generationConfig', 'model']);
const effortByLevel: Record<string, 'minimal' | 'low' | 'medium' | 'high'> = { MINIMAL: 'minimal', LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };

function mediaPart(mimeType: string, source: MediaSource): ToolResultContent {
  return mimeType.startsWith('image/') ? { type: 'image', source } : { type: 'document', source };
}

/** A functionResponse body as tool-result content: `{output}` / `{error}` unwrap to text, anything else is JSON. */
function responseContent(response: unknown): { content: ToolResultContent[]; isError: boolean } {
  if (isRecord(response)) {
    const keys = Object.keys(response);
    if (keys.length === 1 && typeof response.output === 'string') return { content: [{ type: 'text', text: response.output }], isError: false };
    if (keys.length === 1 && response.error !== undefined) {
      return { content: [{ type: 'text', text: typeof response.error === 'string' ? response.error : JSON.stringify(response.error) }], isError: true };
    }
  }
  return { content: [{ type: 'text', text: JSON.stringify(response ?? {}) }], isError: false };
}

interface PendingCall {
  id: string;
  name: string;
  answered: boolean;
}

function decodeParts(content: JsonObject, messageIndex: number, previousCalls: PendingCall[], warnings: Warnings): { parts: (CanonicalPart | SignatureCarrier)[]; calls: PendingCall[] } {
  const field = `contents[${messageIndex}]`;
  const isModel = content.role === 'model';
  const parts: (CanonicalPart | SignatureCarrier)[] = [];
  const calls: PendingCall[] = [];
  requireArray(content.parts, `${field}.parts`).forEach((item, partIndex) => {
    const part = requireRecord(item, `${field}.parts[${partIndex}]`);
    const envelope = decodeEnvelope(part.thoughtSignature);
    if (envelope) {
      parts.push(...partsFromEnvelope(envelope));
      // A thought part with an envelope is only the displayed copy of the reasoning the envelope carries.
      if (envelope.displayOnly || part.thought === true) return;
    }
    const signature = !envelope && typeof part.thoughtSignature === 'string' ? { thoughtSignature: part.thoughtSignature } : {};
    if (typeof part.text === 'string') {
      if (part.thought === true) {
        if (part.text !== '' || signature.thoughtSignature) parts.push({ type: 'reasoning', origin: 'gemini', text: part.text, ...(signature.thoughtSignature ? { signature: signature.thoughtSignature } : {}) });
      } else if (part.text !== '' || signature.thoughtSignature) parts.push({ type: 'text', text: part.text, ...signature });
    } else if (isRecord(part.inlineData)) {
      const mimeType = stringOr(part.inlineData.mimeType, 'application/octet-stream')!;
      parts.push(mediaPart(mimeType, { kind: 'base64', mediaType: mimeType, data: requireString(part.inlineData.data, `${field}.parts[${partIndex}].inlineData.data`) }));
    } else if (isRecord(part.fileData)) {
      const mimeType = stringOr(part.fileData.mimeType, 'application/octet-stream')!;
      parts.push(mediaPart(mimeType, { kind: 'url', url: requireString(part.fileData.fileUri, `${field}.parts[${partIndex}].fileData.fileUri`), mediaType: mimeType }));
    } else if (isRecord(part.functionCall)) {
      if (!isModel) invalidRequest(`${field}.parts[${partIndex}].functionCall`, 'may only appear in a model turn');
      const name = requireString(part.functionCall.name, `${field}.parts[${partIndex}].functionCall.name`);
      const id = stringOr(part.functionCall.id) || positionalToolCallId(messageIndex, partIndex, name);
      calls.push({ id, name, answered: false });
      parts.push({ type: 'tool_call', id, name, arguments: JSON.stringify(part.functionCall.args ?? {}), kind: 'function', ...signature });
    } else if (isRecord(part.functionResponse)) {
      const name = requireString(part.functionResponse.name, `${field}.parts[${partIndex}].functionResponse.name`);
      const explicit = stringOr(part.functionResponse.id);
      const call = previousCalls.find((candidate) => !candidate.answered && (explicit ? candidate.id === explicit : candidate.name === name));
      if (call) call.answered = true;
      const id = explicit || call?.id;
      if (!id) invalidRequest(`${field}.parts[${partIndex}].functionResponse`, `answers no functionCall named "${name}" in the preceding model turn`);
      const { content: resultContent, isError } = responseContent(part.functionResponse.response);
      parts.push({ type: 'tool_result', toolCallId: id, name, content: resultContent, ...(isError ? { isError: true } : {}) });
    } else {
      warnings.add(`Gemini parts with ${Object.keys(part).filter((key) => key !== 'thoughtSignature').join(', ') || 'no content'} cannot be translated; dropped.`);
    }
  });
  return { parts, calls };
}

function decodeContents(value: unknown, warnings: Warnings): CanonicalMessage[] {
  const messages: CanonicalMessage[] = [];
  let previousCalls: PendingCall[] = [];
  requireArray(value, 'contents').forEach((item, index) => {
    const content = requireRecord(item, `contents[${index}]`);
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') invalidRequest(`contents[${index}].role`, 'must be "user" or "model"');
    const { parts, calls } = decodeParts(content, index, previousCalls, warnings);
    if (content.role === 'model') previousCalls = calls;
    messages.push({ role: content.role === 'model' ? 'assistant' : 'user', content: foldSignatureCarriers(parts, warnings) });
  });
  return messages;
}

function decodeSystemInstruction(value: unknown): CanonicalMessage | undefined {
  if (typeof value === 'string') return value === '' ? undefined : { role: 'system', instructionRole: 'system', content: [{ type: 'text', text: value }] };
  if (!isRecord(value)) return undefined;
  const texts = (arrayOr(value.parts) ?? []).flatMap((part) => (isRecord(part) && typeof part.text === 'string' && part.text !== '' ? [{ type: 'text' as const, text: part.text }] : []));
  return texts.length ? { role: 'system', instructionRole: 'system', content: texts } : undefined;
}

function decodeTools(value: unknown): CanonicalTool[] {
  if (value === undefined || value === null) return [];
  return requireArray(value, 'tools').flatMap((item, index): CanonicalTool[] => {
    const tool = requireRecord(item, `tools[${index}]`);
    const tools: CanonicalTool[] = [];
    (arrayOr(tool.functionDeclarations) ?? arrayOr(tool.function_declarations) ?? []).forEach((declaration, declarationIndex) => {
      const record = requireRecord(declaration, `tools[${index}].functionDeclarations[${declarationIndex}]`);
      const parameters = isRecord(record.parametersJsonSchema) ? record.parametersJsonSchema : isRecord(record.parameters) ? geminiSchemaToJsonSchema(record.parameters) : { type: 'object', properties: {} };
      tools.push({ kind: 'function', name: requireString(record.name, `tools[${index}].functionDeclarations[${declarationIndex}].name`), description: stringOr(record.description), parameters });
    });
    for (const key of Object.keys(tool)) {
      if (key !== 'functionDeclarations' && key !== 'function_declarations') tools.push({ kind: 'builtin', format: 'gemini', label: key, raw: { [key]: tool[key] } });
    }
    return tools;
  });
}

function decodeThinking(config: JsonObject): CanonicalThinking | undefined {
  if (!isRecord(config.thinkingConfig)) return undefined;
  const thinking = config.thinkingConfig;
  const budget = numberOr(thinking.thinkingBudget);
  const level = typeof thinking.thinkingLevel === 'string' ? effortByLevel[thinking.thinkingLevel.toUpperCase()] : undefined;
  const summary = thinking.includeThoughts === true ? ('auto' as const) : ('none' as const);
  if (budget === 0) return { mode: 'disabled' };
  if (level) return { mode: 'enabled', effort: level, summary };
  if (budget === undefined || budget < 0) return { mode: 'adaptive', summary };
  return { mode: 'enabled', budgetTokens: budget, summary };
}

export function decodeGeminiRequest(body: JsonObject, options: DecodeRequestOptions): CanonicalRequest {
  const { warnings } = options;
  const messages = decodeContents(body.contents, warnings);
  const system = decodeSystemInstruction(body.systemInstruction ?? body.system_instruction);
  const request: CanonicalRequest = { messages: system ? [system, ...messages] : messages, tools: decodeTools(body.tools), stream: options.stream };
  const calling = isRecord(body.toolConfig) && isRecord(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig : undefined;
  if (calling) {
    const allowed = (arrayOr(calling.allowedFunctionNames) ?? []).filter((name): name is string => typeof name === 'string');
    if (calling.mode === 'NONE') request.toolChoice = { type: 'none' };
    else if (calling.mode === 'ANY') request.toolChoice = allowed.length === 1 ? { type: 'tool', name: allowed[0]! } : { type: 'required' };
    else if (calling.mode === 'AUTO' || calling.mode === 'VALIDATED') request.toolChoice = { type: 'auto' };
  }
  const config = isRecord(body.generationConfig) ? body.generationConfig : {};
  const numbers = [['maxOutputTokens', 'maxOutputTokens'], ['temperature', 'temperature'], ['topP', 'topP'], ['topK', 'topK'], ['presencePenalty', 'presencePenalty'], ['frequencyPenalty', 'frequencyPenalty'], ['seed', 'seed']] as const;
  for (const [key, field] of numbers) {
    const value = numberOr(config[field]);
    if (value !== undefined) request[key] = value;
  }
  const stops = (arrayOr(config.stopSequences) ?? []).filter((stop): stop is string => typeof stop === 'string');
  if (stops.length) request.stopSequences = stops;
  const thinking = decodeThinking(config);
  if (thinking) request.thinking = thinking;
  if (config.responseMimeType === 'application/json') {
    const schema = isRecord(config.responseJsonSchema) ? config.responseJsonSchema : isRecord(config.responseSchema) ? geminiSchemaToJsonSchema(config.responseSchema) : undefined;
    request.responseFormat = schema ? { type: 'json_schema', schema } : { type: 'json_object' };
  }
  if (typeof config.candidateCount === 'number' && config.candidateCount > 1) warnings.add('candidateCount > 1 cannot be translated; one candidate is returned.');
  const unknown = Object.keys(body).filter((key) => !handledFields.has(key));
  if (unknown.length) warnings.add(`Gemini request fields without an equivalent were dropped: ${unknown.join(', ')}.`);
  return request;
}
