import type { WireFormat } from '../../../../shared/wire-format.ts';
import type { CanonicalStopReason, CanonicalUsage } from './canonical-response.ts';

/**
 * The block that a `block_start` opens. Blocks are numbered by the decoder (`index`), open one at a time in the
 * order the upstream produced them, and each is closed by `block_stop` before the next one starts.
 */
export type CanonicalBlockStart =
  | { kind: 'text'; thoughtSignature?: string }
  | { kind: 'reasoning'; origin: WireFormat; id?: string; redactedData?: string }
  | { kind: 'tool_call'; id: string; name: string; toolKind: 'function' | 'custom'; thoughtSignature?: string };

export interface CanonicalStreamError {
  status: number;
  message: string;
  /** The ProxyError code when the failure was classified by Switchyard. */
  code?: string;
}

/**
 * One step of a streamed response, independent of any wire format. Decoders turn upstream SSE events into these;
 * encoders turn them into client bytes. The stream sequencer (stream-sequencer.ts) guarantees encoders see a
 * well-formed sequence: `message_start` first, blocks opened before deltas and closed before `message_stop`,
 * exactly one terminal event (`message_stop` or `error`).
 */
export type CanonicalStreamEvent =
  | { type: 'message_start'; id?: string; model?: string; usage?: CanonicalUsage }
  | { type: 'block_start'; index: number; block: CanonicalBlockStart }
  | { type: 'text_delta'; index: number; text: string }
  /** Reasoning text. `summaryIndex` is set when the text is part of an OpenAI reasoning summary. */
  | { type: 'reasoning_delta'; index: number; text: string; summaryIndex?: number }
  | { type: 'tool_arguments_delta'; index: number; json: string }
  /**
   * An opaque signature for the block: the Anthropic thinking signature or the OpenAI encrypted_content of a
   * reasoning block, or the Gemini thoughtSignature of a reasoning, text or tool-call block.
   */
  | { type: 'signature'; index: number; signature: string }
  | { type: 'block_stop'; index: number }
  | { type: 'usage'; usage: CanonicalUsage }
  | { type: 'message_stop'; stopReason: CanonicalStopReason; stopSequence?: string; usage?: CanonicalUsage }
  | { type: 'error'; error: CanonicalStreamError };
