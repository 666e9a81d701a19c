// Claude Code's housekeeping requests, recognised by their exact shape so Switchyard can answer them without a
// provider call when `shaping.claudeCode.answerLocally` asks for it (docs/clients.md "Claude Code's side requests").
// Strict on purpose: every condition below must hold, and anything that merely resembles a side request (another
// system prompt, a second message, tools, thinking, a different schema) goes to the provider as usual.
import type { ClaudeCodeSideRequest } from '../../../shared/config/shaping-schema.ts';

/**
 * The session-title request, as recorded from Claude Code 2.1.332 (test/fixtures/real-client-requests/claude-title/
 * 001-POST-v1_messages.json): one user message "<session>\n…\n</session>…", a system block that opens with this
 * sentence, no tools, and a JSON-schema output format whose only property is a string `title`.
 */
export const titleSystemOpening = 'You are naming a coding session so the user can pick it out of a long list of sessions.';

/** The sub-agent warm-up of Claude Code 2.0 releases: a lone user message "Warmup" (public transcripts; no fixture). */
export const warmupText = 'Warmup';

type Body = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text of the request's only message when it is a user message of plain text; undefined otherwise. */
function onlyUserText(body: Body): string | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length !== 1) return undefined;
  const message = messages[0];
  if (!isRecord(message) || message.role !== 'user') return undefined;
  if (typeof message.content === 'string') return message.content;
  if (!Array.isArray(message.content) || message.content.length !== 1) return undefined;
  const block = message.content[0];
  return isRecord(block) && block.type === 'text' && typeof block.text === 'string' ? block.text : undefined;
}

function systemTexts(body: Body): string[] {
  if (typeof body.system === 'string') return [body.system];
  if (!Array.isArray(body.system)) return [];
  return body.system.flatMap((block) => (isRecord(block) && block.type === 'text' && typeof block.text === 'string' ? [block.text] : []));
}

const noTools = (body: Body) => body.tools === undefined || (Array.isArray(body.tools) && body.tools.length === 0);
const noThinking = (body: Body) => body.thinking === undefined || (isRecord(body.thinking) && body.thinking.type === 'disabled');

/** output_config.format (or the older top-level output_format) is a JSON schema of exactly one string `title`. */
function asksForTitleJson(body: Body): boolean {
  const format = isRecord(body.output_config) ? body.output_config.format : body.output_format;
  if (!isRecord(format) || format.type !== 'json_schema' || !isRecord(format.schema)) return false;
  const { properties, required } = format.schema;
  if (!isRecord(properties) || Object.keys(properties).length !== 1 || !isRecord(properties.title) || properties.title.type !== 'string') return false;
  return Array.isArray(required) && required.length === 1 && required[0] === 'title';
}

function isTitleRequest(body: Body): boolean {
  const text = onlyUserText(body);
  if (text === undefined || !text.startsWith('<session>\n') || !text.includes('\n</session>')) return false;
  return noTools(body) && noThinking(body) && asksForTitleJson(body) && systemTexts(body).some((system) => system.startsWith(titleSystemOpening));
}

function isWarmupRequest(body: Body): boolean {
  return onlyUserText(body)?.trim() === warmupText;
}

/** Which enabled side request this Anthropic Messages body is, if any. */
export function recogniseSideRequest(body: Body, enabled: readonly ClaudeCodeSideRequest[]): ClaudeCodeSideRequest | undefined {
  if (enabled.includes('title') && isTitleRequest(body)) return 'title';
  if (enabled.includes('warmup') && isWarmupRequest(body)) return 'warmup';
  return undefined;
}

const maxTitleWords = 5;
const maxTitleCharacters = 60;

/**
 * A title made here, from the session's first line of text: its first few words in sentence case. Not what a model
 * would write, but a stable, recognisable name, which is what the session list needs.
 */
export function localTitle(body: Body): string {
  const text = onlyUserText(body) ?? '';
  const session = text.slice('<session>\n'.length, Math.max('<session>\n'.length, text.indexOf('\n</session>')));
  const line = session.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  const words = line.replace(/[<>`*#_[\]()"]/g, ' ').trim().split(/\s+/).filter(Boolean).slice(0, maxTitleWords);
  let title = words.join(' ').replace(/[.,;:!?]+$/, '').slice(0, maxTitleCharacters).trim();
  if (title === '') title = 'New session';
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** What the model would have answered: the title as the JSON the request's schema asks for, or a short ready note. */
export function sideRequestAnswer(kind: ClaudeCodeSideRequest, body: Body): string {
  return kind === 'title' ? JSON.stringify({ title: localTitle(body) }) : 'Ready.';
}
