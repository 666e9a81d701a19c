// Small pieces several request encoders share.
import { createHash } from 'node:crypto';
import type { CanonicalMessage, CanonicalRequest, ToolCallPart } from './canonical-request.ts';

/** The leading system messages (the system prompt) and the rest of the conversation. */
export function splitLeadingSystem(messages: CanonicalMessage[]): { leading: CanonicalMessage[]; rest: CanonicalMessage[] } {
  let index = 0;
  while (index < messages.length && messages[index]!.role === 'system') index += 1;
  return { leading: messages.slice(0, index), rest: messages.slice(index) };
}

export function systemText(message: CanonicalMessage): string {
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).filter((text) => text !== '').join('\n');
}

/** Every tool call in the conversation by id, so results can find their function's name. */
export function toolCallsById(request: CanonicalRequest): Map<string, ToolCallPart> {
  const calls = new Map<string, ToolCallPart>();
  for (const message of request.messages) {
    for (const part of message.content) if (part.type === 'tool_call') calls.set(part.id, part);
  }
  return calls;
}

/** JSON Schema for a freeform (custom) tool in formats that only have function tools. */
export function customToolSchema(): Record<string, unknown> {
  return { type: 'object', properties: { input: { type: 'string', description: 'The raw freeform input for this tool.' } }, required: ['input'] };
}

export function customToolDescription(description: string | undefined, format: unknown): string {
  const parts = [description ?? ''];
  const grammar = format as { type?: string; syntax?: string; definition?: string } | undefined;
  if (grammar?.type === 'grammar' && typeof grammar.definition === 'string') {
    parts.push(`Put the complete raw input in the "input" string. It must follow this ${grammar.syntax ?? ''} grammar:\n${grammar.definition}`);
  } else {
    parts.push('Put the complete raw input in the "input" string.');
  }
  return parts.filter((part) => part !== '').join('\n\n');
}

/** OpenAI limits `user` / `safety_identifier` to 64 characters; longer ids (Claude Code's JSON) are hashed. */
export function fitUserId(user: string): string {
  return user.length <= 64 ? user : createHash('sha256').update(user).digest('base64url');
}

/**
 * Whether an OpenAI-format upstream model takes reasoning parameters. Non-reasoning OpenAI models reject
 * `reasoning_effort` / `reasoning` with a 400, so they are only sent to models that look like reasoning models.
 */
export function looksLikeReasoningModel(model: string): boolean {
  const name = model.toLowerCase().split('/').pop() ?? '';
  return /^(o\d|gpt-5|gpt-oss|codex)|reason|think|^deepseek-r|^qwq|^grok-[34]/.test(name);
}

/** Arguments JSON text parsed for formats that carry an object; undefined when it is not a JSON object. */
export { parseJsonObject } from './json-values.ts';

/** A `tools` array holds a tool whose `type` starts with `prefix` (e.g. the versioned web search tools). */
export function hasToolOfType(tools: unknown, prefix: string): boolean {
  if (!Array.isArray(tools)) return false;
  for (const tool of tools) {
    if (typeof tool === 'object' && tool !== null && typeof (tool as { type?: unknown }).type === 'string' && (tool as { type: string }).type.startsWith(prefix)) return true;
  }
  return false;
}
