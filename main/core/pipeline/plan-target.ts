import type { WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import type { RuntimeProvider } from '../config/runtime-config.ts';
import { encodedMagicPrefix } from '../formats/canonical/reasoning-envelope.ts';
import { codecFor } from '../formats/codecs.ts';
import { stripForeignReasoning } from '../formats/strip-foreign-reasoning.ts';
import { createStreamTranslator, translateRequest, translateResponse } from '../formats/translator.ts';
import type { RouteTarget } from '../router/route-target.ts';
import type { WireCodec } from '../providers/provider-adapter.ts';
import type { UsageReading } from '../formats/token-usage/usage-reading.ts';
import type { OutputCounter } from '../formats/token-usage/count-output.ts';
import { outputCounterFor } from '../formats/token-usage/count-output.ts';
import { createUsageChunkStripper, withStreamUsage } from '../formats/openai-chat/stream-usage-option.ts';
import type { ModelRequest } from './model-request.ts';
import { passthroughTransform } from './passthrough-transform.ts';
import type { ChunkTransform } from './relay-stream.ts';
import { replaceJsonModel } from './replace-json-model.ts';
import { midStreamError } from './stream-error-detector.ts';

/** How one request is sent to one target: in which format, with which bytes, and how the answer comes back. */
export interface TargetPlan {
  upstreamFormat: WireFormat;
  body: Buffer;
  /** Turns a complete upstream answer into the client's format (identity for passthrough). */
  convertResponse(upstreamBody: Buffer): Buffer;
  createStreamTransform(): ChunkTransform;
  /** What translation had to drop (request, and response once it has been converted); logged once per request. */
  warnings: string[];
  /** The provider's wire differs from the upstream format (Ollama native): its content-type is not the client's. */
  rewritesWire?: boolean;
  /** Reads the tokens from the upstream's bytes (its format's reader, or the provider wire's) for the usage ledger. */
  usage: UsageReading;
  /**
   * Counts the text of the upstream's answer (its format's decoders, behind the provider wire's own when there is
   * one), for the output estimate when `usage` finds no output tokens. Used only after the answer, and only then.
   */
  output: OutputCounter;
  /** A whole answer arrives as a stream from this upstream (ChatGPT/Codex): its usage is read as one. */
  answerIsStream?: boolean;
}

export function chooseUpstreamFormat(provider: RuntimeProvider, clientFormat: WireFormat): WireFormat {
  return provider.adapter.nativeFormats.includes(clientFormat) ? clientFormat : provider.adapter.nativeFormats[0]!;
}

export function planTarget(request: ModelRequest, provider: RuntimeProvider, target: RouteTarget): TargetPlan {
  const plan = planFormats(request, provider, target);
  if (provider.adapter.wire) return withWireCodec(plan, provider.adapter.wire, target, request);
  return plan.upstreamFormat === 'openai-chat' && request.format === 'openai-chat' && request.stream ? withUsageAsked(plan) : plan;
}

/**
 * An OpenAI Chat stream passed through reports usage only when asked (`stream_options.include_usage`). When the
 * client did not ask, Switchyard asks upstream for the ledger and takes the extra usage chunk out of the client's
 * stream, so the client sees the stream it asked for. (Translated requests always ask: the encoder sets it.)
 */
function withUsageAsked(plan: TargetPlan): TargetPlan {
  const asked = withStreamUsage(JSON.parse(plan.body.toString('utf8')) as Record<string, unknown>);
  if (!asked.added) return plan;
  return {
    ...plan,
    body: Buffer.from(JSON.stringify(asked.body)),
    createStreamTransform() {
      const relay = plan.createStreamTransform();
      const stripper = createUsageChunkStripper();
      return {
        push: (chunk) => stripper.push(asBuffer(relay.push(chunk))),
        end: () => `${stripper.end().toString('utf8')}${relay.end()}`,
        fail: (error) => `${stripper.end().toString('utf8')}${relay.fail(error)}`,
        reportedError: () => relay.reportedError?.(),
      };
    },
  };
}

function asBuffer(output: string | Buffer): Buffer {
  return typeof output === 'string' ? Buffer.from(output) : output;
}

function planFormats(request: ModelRequest, provider: RuntimeProvider, target: RouteTarget): TargetPlan {
  const upstreamFormat = chooseUpstreamFormat(provider, request.format);
  if (upstreamFormat === request.format) {
    const codec = codecFor(request.format);
    // Same format: the client's bytes go upstream unchanged except the model name (Gemini has it in the URL).
    const passthrough = (body: Buffer, warnings: string[]): TargetPlan => ({
      upstreamFormat,
      body,
      usage: codec.usage,
      output: outputCounterFor(request.format),
      convertResponse: (upstreamBody) => upstreamBody,
      createStreamTransform: () => passthroughTransform(request.format, provider.id),
      warnings,
    });
    // After a move between provider families the history may hold reasoning in our envelopes, which this provider
    // would reject as invalid signatures; only then is the body parsed and rewritten (a byte search decides).
    if (request.rawBody.includes(encodedMagicPrefix)) {
      const { body, removed } = stripForeignReasoning(request.format, request.body);
      if (removed > 0) {
        const rewritten = codec.modelInBody ? { ...body, model: target.model } : body;
        return passthrough(Buffer.from(JSON.stringify(rewritten)), [
          `removed ${removed} reasoning part(s) produced by another provider family; ${provider.id} would reject their signatures`,
        ]);
      }
    }
    return passthrough(!codec.modelInBody || request.body.model === target.model ? request.rawBody : replaceJsonModel(request.rawBody, target.model), []);
  }

  // Different formats: client -> canonical -> upstream, and back for the answer (docs/translation.md).
  const translated = translateRequest({
    from: request.format,
    to: upstreamFormat,
    body: request.body,
    upstreamModel: target.model,
    clientModel: request.model,
    stream: request.stream,
  });
  const warnings = [...translated.warnings];
  return {
    upstreamFormat,
    usage: codecFor(upstreamFormat).usage,
    output: outputCounterFor(upstreamFormat),
    body: Buffer.from(JSON.stringify(translated.body)),
    warnings,
    convertResponse(upstreamBody) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(upstreamBody.toString('utf8'));
      } catch {
        throw new ProxyError({ code: 'upstream_error', status: 502, message: `${provider.id}: the provider answered with something that is not JSON`, scope: 'provider', retryable: true, provider: provider.id });
      }
      const converted = translateResponse({ from: upstreamFormat, to: request.format, body: parsed, context: translated.context });
      warnings.push(...converted.warnings);
      return Buffer.from(JSON.stringify(converted.body));
    },
    createStreamTransform() {
      const translator = createStreamTranslator({ from: upstreamFormat, to: request.format, context: translated.context });
      const collectWarnings = () => {
        for (const warning of translator.warnings()) if (!warnings.includes(warning)) warnings.push(warning);
      };
      // The decoder reads every event anyway, so it is what notices an upstream error here: no byte scan per chunk
      // (a passthrough stream, which nothing decodes, has the codec's stream-error detector instead).
      let reported: ProxyError | undefined;
      const reportedError = (): ProxyError | undefined => {
        if (reported !== undefined) return reported;
        if (translator.upstreamError() === undefined) return undefined;
        reported = midStreamError(provider.id);
        return reported;
      };
      return {
        push(chunk) {
          return translator.push(chunk);
        },
        end() {
          const tail = translator.end();
          collectWarnings();
          return tail;
        },
        fail(error) {
          const tail = translator.fail(error);
          collectWarnings();
          return tail;
        },
        reportedError,
      };
    },
  };
}

/**
 * A provider whose wire is none of the client formats (Ollama's native chat) converts at the edge, after any
 * translation: the body on the way out, the answer or the stream on the way back (WireCodec).
 */
function withWireCodec(plan: TargetPlan, wire: WireCodec, target: RouteTarget, request: ModelRequest): TargetPlan {
  const upstreamBody = JSON.parse(plan.body.toString('utf8')) as { stream_options?: { include_usage?: unknown } };
  const includeUsage = upstreamBody.stream_options?.include_usage === true;
  return {
    ...plan,
    body: wire.encodeRequest(plan.body, { model: target.model, stream: request.stream, operation: request.operation }),
    usage: wire.usage,
    output: throughWire(wire, plan.output, { includeUsage, model: target.model }),
    ...(wire.answersAreStreams ? { answerIsStream: true } : {}),
    convertResponse: (body) => plan.convertResponse(wire.decodeResponse(body, { model: target.model })),
    createStreamTransform: () => {
      const decoder = wire.createStreamDecoder({ includeUsage, model: target.model });
      const relay = plan.createStreamTransform();
      const forward = (text: string) => {
        const out = text.length > 0 ? relay.push(Buffer.from(text)) : '';
        return typeof out === 'string' ? out : out.toString('utf8');
      };
      return {
        push: (chunk) => forward(decoder.push(chunk)),
        end: () => `${forward(decoder.end())}${relay.end()}`,
        fail: (error) => relay.fail(error),
        reportedError: () => relay.reportedError?.(),
      };
    },
    rewritesWire: true,
  };
}

/**
 * Counts a provider wire's answers by converting them as the relay does (the wire's decoder, into the plan's
 * upstream format) and counting that: the wire's format has one home, its adapter.
 */
function throughWire(wire: WireCodec, output: OutputCounter, options: { includeUsage: boolean; model: string }): OutputCounter {
  return {
    body: (body) => output.body(wire.decodeResponse(body, { model: options.model })),
    stream(chunks) {
      const decoder = wire.createStreamDecoder(options);
      const converted = chunks.map((chunk) => Buffer.from(decoder.push(chunk)));
      converted.push(Buffer.from(decoder.end()));
      return output.stream(converted);
    },
  };
}
