// The facade the request pipeline calls when the client's format differs from the upstream's
// (docs/translation.md). Requests: client format -> canonical -> upstream format. Responses and streams: upstream
// format -> canonical -> client format. Everything a conversion had to drop comes back as `warnings`.
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProxyError } from '../errors/proxy-error.ts';
import { requestError } from '../errors/proxy-error.ts';
import type { EncodeResponseOptions } from './codec.ts';
import { codecFor } from './codecs.ts';
import { isRecord } from './canonical/json-values.ts';
import { clientFacingError } from './render-error.ts';
import { Warnings } from './canonical/warnings.ts';
import type { CanonicalStreamError, CanonicalStreamEvent } from './canonical/canonical-stream-event.ts';
import { SseParser, type SseEvent } from './sse/sse-parser.ts';
import { StreamSequencer } from './stream/stream-sequencer.ts';

/** Plain data carried from the request translation to the response translation of the same request. */
export interface TranslationContext {
  client: WireFormat;
  upstream: WireFormat;
  clientModel: string;
  upstreamModel: string;
  stream: boolean;
  /** OpenAI Chat clients that set stream_options.include_usage get a usage chunk. */
  includeUsage: boolean;
  /** Tool names changed to fit the upstream: upstream name -> client name. */
  renamedTools: Record<string, string>;
  /** Client tools that are freeform (Codex `custom` tools): their calls go back as custom calls. */
  customTools: string[];
}

export interface TranslatedRequest {
  body: Record<string, unknown>;
  context: TranslationContext;
  warnings: string[];
}

export function translateRequest(args: {
  from: WireFormat;
  to: WireFormat;
  body: Record<string, unknown>;
  upstreamModel: string;
  clientModel: string;
  stream: boolean;
}): TranslatedRequest {
  if (!isRecord(args.body)) throw requestError('invalid_request', 400, 'Invalid request: the body must be a JSON object');
  const warnings = new Warnings();
  const canonical = codecFor(args.from).decodeRequest(args.body, { warnings, stream: args.stream });
  canonical.stream = args.stream;
  const renamedTools: Record<string, string> = {};
  const body = codecFor(args.to).encodeRequest(canonical, {
    warnings,
    model: args.upstreamModel,
    stream: args.stream,
    foreignReasoning: 'drop',
    renamedTools,
  });
  const streamOptions = args.body.stream_options;
  const context: TranslationContext = {
    client: args.from,
    upstream: args.to,
    clientModel: args.clientModel,
    upstreamModel: args.upstreamModel,
    stream: args.stream,
    includeUsage: args.from === 'openai-chat' && isRecord(streamOptions) && streamOptions.include_usage === true,
    renamedTools,
    customTools: canonical.tools.flatMap((tool) => (tool.kind === 'custom' ? [tool.name] : [])),
  };
  return { body, context, warnings: warnings.list() };
}

function responseOptions(context: TranslationContext, warnings: Warnings): EncodeResponseOptions {
  return { warnings, model: context.clientModel, renamedTools: context.renamedTools, customTools: context.customTools, includeUsage: context.includeUsage };
}

export function translateResponse(args: { from: WireFormat; to: WireFormat; body: unknown; context: TranslationContext }): {
  body: Record<string, unknown>;
  warnings: string[];
} {
  const warnings = new Warnings();
  const canonical = codecFor(args.from).decodeResponse(args.body, warnings);
  const body = codecFor(args.to).encodeResponse(canonical, responseOptions(args.context, warnings));
  return { body, warnings: warnings.list() };
}

export interface StreamTranslator {
  /** Raw upstream bytes in any chunking -> client-format bytes to write now ('' when nothing yet). */
  push(chunk: Uint8Array): string;
  /** The upstream ended (cleanly or early) -> remaining client bytes including terminal events not yet sent. */
  end(): string;
  /** The upstream failed mid-stream -> the client format's error event and terminal events. */
  fail(error: ProxyError): string;
  usage(): { inputTokens?: number; outputTokens?: number; cacheReadTokens?: number; cacheWriteTokens?: number; reasoningTokens?: number } | undefined;
  /** What the translation had to drop so far (log once when the stream ends). */
  warnings(): string[];
  /**
   * The first error the upstream reported inside its stream, as its decoder read it (so the guard can count the
   * failure without a second look at the bytes); undefined when there was none. An end from `fail` is not one.
   */
  upstreamError(): CanonicalStreamError | undefined;
}

/** How long the translator's reused event arrays grow before they are emptied (see createStreamTranslator). */
const reuseLimit = 64;

export function createStreamTranslator(args: { from: WireFormat; to: WireFormat; context: TranslationContext }): StreamTranslator {
  const warnings = new Warnings();
  const parser = new SseParser();
  const decoder = codecFor(args.from).createStreamDecoder(warnings);
  const sequencer = new StreamSequencer();
  const encoder = codecFor(args.to).createStreamEncoder(responseOptions(args.context, warnings));
  // One array each for the parsed SSE events, the decoded and the sequenced canonical events, reused for the whole
  // stream: each step appends and the next reads what was appended. Emptying an array drops its storage, so they are
  // emptied only when they have grown past a few dozen entries (per-chunk garbage, docs/performance.md).
  const parsed: SseEvent[] = [];
  const decoded: CanonicalStreamEvent[] = [];
  const sequenced: CanonicalStreamEvent[] = [];
  let upstreamError: CanonicalStreamError | undefined;
  const render = (from: number): string => {
    let out = '';
    for (let index = from; index < decoded.length; index++) {
      if (sequenced.length > reuseLimit) sequenced.length = 0;
      const first = sequenced.length;
      const event = decoded[index]!;
      if (event.type === 'error' && upstreamError === undefined) upstreamError = event.error;
      sequencer.accept(event, sequenced);
      for (let next = first; next < sequenced.length; next++) out += encoder.encode(sequenced[next]!);
    }
    return out;
  };
  const decode = (from: number): string => {
    let out = '';
    for (let index = from; index < parsed.length; index++) {
      if (decoded.length > reuseLimit) decoded.length = 0;
      const first = decoded.length;
      decoder.event(parsed[index]!, decoded);
      out += render(first);
    }
    return out;
  };
  const parse = (chunk: Uint8Array | undefined): string => {
    if (parsed.length > reuseLimit) parsed.length = 0;
    const first = parsed.length;
    if (chunk === undefined) {
      for (const event of parser.end()) parsed.push(event);
    } else parser.push(chunk, parsed);
    return decode(first);
  };
  return {
    push(chunk) {
      if (sequencer.isFinished) return '';
      return parse(chunk);
    },
    end() {
      let out = '';
      if (!sequencer.isFinished) {
        out += parse(undefined);
        if (decoded.length > reuseLimit) decoded.length = 0;
        const first = decoded.length;
        decoder.end(decoded);
        out += render(first);
      }
      for (const event of sequencer.finish()) out += encoder.encode(event);
      return out;
    },
    fail(error) {
      let out = '';
      for (const event of sequencer.fail(clientFacingError(error, 502))) out += encoder.encode(event);
      return out;
    },
    usage: () => sequencer.usage(),
    warnings: () => warnings.list(),
    upstreamError: () => upstreamError,
  };
}
