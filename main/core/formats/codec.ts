// The contract every wire-format folder implements. "Decode" reads a wire body into the canonical model,
// "encode" writes one. Request encoders write what goes to an upstream; response and stream encoders write what
// goes to a client. The translator (translator.ts) wires a client codec to an upstream codec.
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { CanonicalRequest } from './canonical/canonical-request.ts';
import type { CanonicalResponse } from './canonical/canonical-response.ts';
import type { CanonicalStreamError, CanonicalStreamEvent } from './canonical/canonical-stream-event.ts';
import type { Warnings } from './canonical/warnings.ts';
import type { SseEvent } from './sse/sse-parser.ts';
import type { Draft } from './canonical/draft.ts';
import type { UsageReading } from './token-usage/usage-reading.ts';

export interface DecodeRequestOptions {
  warnings: Warnings;
  /** Whether the client streams (Gemini clients say so in the URL, not the body). */
  stream: boolean;
}

export interface EncodeRequestOptions {
  warnings: Warnings;
  model: string;
  stream: boolean;
  /**
   * `drop`: reasoning from another format is left out (what an upstream gets). `carry`: it is wrapped in an
   * envelope, as a client of this format would hold it in its history (used to prove round trips).
   */
  foreignReasoning: 'drop' | 'carry';
  /** Filled by the encoder: tool names it had to change for the target, upstream name -> client name. */
  renamedTools: Record<string, string>;
}

export interface EncodeResponseOptions {
  warnings: Warnings;
  /** The model name the client asked for: clients see their own name back. */
  model: string;
  /** Upstream tool name -> client tool name, for names the request encoder had to change. */
  renamedTools: Record<string, string>;
  /** Client tool names that are freeform (custom) tools, whose calls must come back as custom calls. */
  customTools: string[];
  /** OpenAI Chat clients: `stream_options.include_usage` was set. */
  includeUsage: boolean;
}

/**
 * Both methods append their canonical events to `out` and return it; without `out` they return a new array. The
 * translator passes one array for the whole stream, so a text chunk costs no array of its own (docs/performance.md).
 */
export interface StreamDecoder {
  /** One upstream SSE event -> zero or more canonical events. */
  event(event: SseEvent, out?: CanonicalStreamEvent[]): CanonicalStreamEvent[];
  /** The upstream body ended. */
  end(out?: CanonicalStreamEvent[]): CanonicalStreamEvent[];
}

export interface StreamEncoder {
  /** One canonical event (from the sequencer, so well-formed) -> client bytes. */
  encode(event: CanonicalStreamEvent): string;
}

/**
 * How an upstream of this format reports a failure inside a 200 stream. `needles` are byte strings of which every
 * error event contains at least one, so chunks are searched as bytes; only a chunk holding one is decoded and
 * matched against `marker`.
 */
export interface StreamErrorSignature {
  needles: readonly Buffer[];
  marker: RegExp;
}

/** A thinking setting to write into a request: both forms, each format takes the one it speaks. */
export interface ThinkingSetting {
  budgetTokens: number;
  effort: 'low' | 'medium' | 'high';
}

/** The output limit and temperature ceiling of a model (a shaping clamp). */
export interface OutputClamp {
  maxOutputTokens?: number;
  maxTemperature?: number;
}

/**
 * Where a format keeps what request shaping edits (docs/routing.md "Shaping"). Each edit goes through the draft, so
 * a body nothing changes keeps its original bytes.
 */
export interface BodyShaper {
  /** Adds a system prompt in the format's own place, before or after the client's. */
  addSystemPrompt(draft: Draft, text: string, position: 'prepend' | 'append'): void;
  /** Sets the thinking of a request that already asks for thinking. */
  setThinking(draft: Draft, setting: ThinkingSetting): void;
  /** Lowers output-limit and temperature fields above the clamp. */
  clampOutput(draft: Draft, clamp: OutputClamp): void;
  /** After limits changed: restores an invariant of the format (Anthropic: thinking budget below max_tokens). */
  afterLimitsChanged?(draft: Draft): void;
}

export interface Codec {
  format: WireFormat;
  /**
   * Formats of one family share one error document (OpenAI Chat and Responses): an upstream error body of the
   * same family is passed to the client unchanged when `isErrorBody` accepts it.
   */
  errorFamily: 'anthropic' | 'openai' | 'google';
  /** The HTTP error body a client of this format expects. */
  encodeErrorBody(error: CanonicalStreamError): string;
  /** True when a parsed upstream body already is an error document of this format. */
  isErrorBody(parsed: unknown): boolean;
  /**
   * The events that end a stream of this format after a failure past the commit point, when Switchyard did not
   * write the earlier events itself (passthrough). The stream encoder ends translated streams with the same events.
   */
  encodeStreamFailure(error: CanonicalStreamError): string;
  streamErrorSignature: StreamErrorSignature;
  /** False when the model is named in the URL, not in the body (Gemini): a passthrough body keeps its bytes. */
  modelInBody: boolean;
  /** False when streaming is chosen by the URL, not a body field (Gemini): a body `stream` field is then ignored. */
  streamInBody: boolean;
  /** The request inside a count-tokens body (Gemini may wrap it in `generateContentRequest`). */
  tokenCountRequest(body: Record<string, unknown>): Record<string, unknown>;
  /** A count-tokens answer of this format. */
  encodeTokenCount(tokens: number): Record<string, unknown>;
  /** The request asks for extended thinking / reasoning (for the `thinking` scenario rule). */
  asksForThinking(body: Record<string, unknown>): boolean;
  /** The request carries a web-search tool (for the `webSearch` scenario rule). */
  carriesWebSearch(body: Record<string, unknown>): boolean;
  shaper: BodyShaper;
  decodeRequest(body: Record<string, unknown>, options: DecodeRequestOptions): CanonicalRequest;
  encodeRequest(request: CanonicalRequest, options: EncodeRequestOptions): Record<string, unknown>;
  decodeResponse(body: unknown, warnings: Warnings): CanonicalResponse;
  encodeResponse(response: CanonicalResponse, options: EncodeResponseOptions): Record<string, unknown>;
  createStreamDecoder(warnings: Warnings): StreamDecoder;
  createStreamEncoder(options: EncodeResponseOptions): StreamEncoder;
  /** Reads the tokens an upstream answer of this format reports, whole or streamed (for the usage ledger). */
  usage: UsageReading;
}

/**
 * The conventions of the formats that name the model and the streaming choice in the body and count tokens as
 * `{"input_tokens": n}` (all but Gemini).
 */
export const bodyNamesModelAndStream: Pick<Codec, 'streamInBody' | 'modelInBody' | 'tokenCountRequest' | 'encodeTokenCount'> = {
  streamInBody: true,
  modelInBody: true,
  tokenCountRequest: (body) => body,
  encodeTokenCount: (tokens) => ({ input_tokens: tokens }),
};
