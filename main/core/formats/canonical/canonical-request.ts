// Switchyard's own request model. Every wire format decodes into it and encodes out of it, so it keeps what
// the richest format carries (docs/translation.md). It is not any provider's JSON: field names say what a
// thing is, and format-specific data that has no neutral meaning is kept opaque with its origin attached.
import type { WireFormat } from '../../../../shared/wire-format.ts';

/** Anthropic prompt-cache marker (docs/wire-formats.md, Anthropic Messages). Only Anthropic upstreams receive it. */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: string;
}

/** Where the bytes of an image or document live. */
export type MediaSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string; mediaType?: string }
  | { kind: 'text'; text: string; mediaType?: string };

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
  /** Gemini `thoughtSignature` riding on this text part (origin is always Gemini). */
  thoughtSignature?: string;
}

export interface ImagePart {
  type: 'image';
  source: MediaSource;
  detail?: 'auto' | 'low' | 'high';
  cacheControl?: CacheControl;
}

export interface DocumentPart {
  type: 'document';
  source: MediaSource;
  title?: string;
  cacheControl?: CacheControl;
}

/**
 * A call the model made. `arguments` is JSON text (what OpenAI sends and streams); formats that carry an
 * object parse it when encoding. `kind: 'custom'` is a freeform tool (Codex `custom` tools such as
 * apply_patch) whose single string input travels as `{"input": "..."}` in formats without freeform tools.
 */
export interface ToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  arguments: string;
  kind: 'function' | 'custom';
  /** Gemini `thoughtSignature` riding on the functionCall part (origin is always Gemini). */
  thoughtSignature?: string;
  cacheControl?: CacheControl;
}

export type ToolResultContent = TextPart | ImagePart | DocumentPart;

export interface ToolResultPart {
  type: 'tool_result';
  toolCallId: string;
  /** The function's name when the format carries it (Gemini needs it; recovered from history otherwise). */
  name?: string;
  content: ToolResultContent[];
  isError?: boolean;
  kind?: 'function' | 'custom';
  cacheControl?: CacheControl;
}

/**
 * Thinking / reasoning output. `origin` is the upstream wire format that produced it: thinking only goes
 * back to an upstream of the same format, because signatures and encrypted reasoning are only valid there.
 * - anthropic: `text` + `signature`, or `redactedData` (redacted_thinking)
 * - openai-responses: `id`, `summary[]`, optional `text` (reasoning_text content), `encryptedContent`
 * - gemini: `text` of a thought part, optional `signature` (its thoughtSignature)
 * - openai-chat: `text` (`reasoning_content` of OpenAI-compatible servers)
 */
export interface ReasoningPart {
  type: 'reasoning';
  origin: WireFormat;
  text?: string;
  summary?: string[];
  signature?: string;
  redactedData?: string;
  encryptedContent?: string;
  id?: string;
}

export type CanonicalPart = TextPart | ImagePart | DocumentPart | ToolCallPart | ToolResultPart | ReasoningPart;

/**
 * `system` messages hold instructions. Leading ones are what formats call the system prompt / instructions /
 * systemInstruction; a system message after the first non-system message stays in place (Claude Code sends one).
 * Tool results live in `user` messages, as in Anthropic's format.
 */
export interface CanonicalMessage {
  role: 'system' | 'user' | 'assistant';
  content: CanonicalPart[];
  /** For system messages: the client's own word for them (OpenAI's `developer` role). */
  instructionRole?: 'system' | 'developer';
}

export interface CanonicalFunctionTool {
  kind: 'function' | 'custom';
  name: string;
  description?: string;
  /** JSON Schema of the arguments (for custom tools: `{input: string}`). */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: CacheControl;
  /** Custom (freeform) tools: the grammar/format object the client declared, kept for same-format targets. */
  customFormat?: unknown;
}

/** A provider-executed or provider-defined tool (web search, code execution...) kept verbatim with its format. */
export interface CanonicalBuiltinTool {
  kind: 'builtin';
  format: WireFormat;
  /** A short name for warnings, e.g. `web_search_20250305`. */
  label: string;
  raw: unknown;
}

export type CanonicalTool = CanonicalFunctionTool | CanonicalBuiltinTool;

export type CanonicalToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface CanonicalThinking {
  /** `adaptive`: the model decides how much to think (Anthropic adaptive, Gemini budget -1). */
  mode: 'enabled' | 'disabled' | 'adaptive';
  budgetTokens?: number;
  effort?: ReasoningEffort;
  /** Whether the client wants to see reasoning text (Responses `reasoning.summary`, Gemini includeThoughts). */
  summary?: 'auto' | 'concise' | 'detailed' | 'none';
}

export type CanonicalResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name?: string; schema: Record<string, unknown>; strict?: boolean };

export interface CanonicalRequest {
  messages: CanonicalMessage[];
  tools: CanonicalTool[];
  toolChoice?: CanonicalToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  thinking?: CanonicalThinking;
  responseFormat?: CanonicalResponseFormat;
  /** An opaque end-user id (Anthropic metadata.user_id, OpenAI user / safety_identifier). */
  user?: string;
  promptCacheKey?: string;
  stream: boolean;
}
