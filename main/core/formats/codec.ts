// The contract every wire-format folder implements. "Decode" reads a wire body into the canonical model,
// "encode" writes one. Request encoders write what goes to an upstream; response and stream encoders write what
// goes to a client. The translator (translator.ts) wires a client codec to an upstream codec.
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { CanonicalRequest } from './canonical/canonical-request.ts';
import type { CanonicalResponse } from './canonical/canonical-response.ts';
import type { CanonicalStreamEvent } from './canonical/canonical-stream-event.ts';
import type { Warnings } from './canonical/warnings.ts';
import type { SseEvent } from './sse/sse-parser.ts';
import type { UsageReading } from './usage/usage-reading.ts';

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

export interface StreamDecoder {
  /** One upstream SSE event -> zero or more canonical events. */
  event(event: SseEvent): CanonicalStreamEvent[];
  /** The upstream body ended. */
  end(): CanonicalStreamEvent[];
}

export interface StreamEncoder {
  /** One canonical event (from the sequencer, so well-formed) -> client bytes. */
  encode(event: CanonicalStreamEvent): string;
}

export interface Codec {
  format: WireFormat;
  decodeRequest(body: Record<string, unknown>, options: DecodeRequestOptions): CanonicalRequest;
  encodeRequest(request: CanonicalRequest, options: EncodeRequestOptions): Record<string, unknown>;
  decodeResponse(body: unknown, warnings: Warnings): CanonicalResponse;
  encodeResponse(response: CanonicalResponse, options: EncodeResponseOptions): Record<string, unknown>;
  createStreamDecoder(warnings: Warnings): StreamDecoder;
  createStreamEncoder(options: EncodeResponseOptions): StreamEncoder;
  /** Reads the tokens an upstream answer of this format reports, whole or streamed (for the usage ledger). */
  usage: UsageReading;
}
