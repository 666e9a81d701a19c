// What one client request used, gathered as it passes through the request path and handed to the usage ledger once
// when its answer is over (docs/usage.md). Only counters and ids are kept while the request runs; the upstream's usage
// is read by its format's reader (a whole body is parsed after the client has its answer), and tokens, estimates and
// cost are worked out later, when the ledger writes its queue. A stream's chunks are kept by reference (no copy, no
// parse) so that, only when the upstream reported no output tokens, they are decoded once at the end and their text
// counted for the output estimate.
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProxyError } from '../errors/proxy-error.ts';
import type { CanonicalUsage } from '../formats/canonical/canonical-response.ts';
import type { OutputCounter, StreamOutput } from '../formats/token-usage/count-output.ts';
import type { StreamUsageReader, UsageReading } from '../formats/token-usage/usage-reading.ts';
import type { UsageEvent } from '../usage/build-usage-record.ts';
import type { RouteKind, UsageOutcome } from '../usage/usage-record.ts';

/** Where the request path hands finished requests; the engine's usage ledger (only `record` is needed here). */
export interface UsageSink {
  record(event: UsageEvent): void;
  /**
   * Calls back once what was recorded so far is durable. The HTTP edge holds each answer's last byte until then, so
   * an answer the client saw complete always has its row, even if the engine is killed right after (docs/usage.md).
   */
  afterWrite?(callback: () => void): void;
}

/** How the request ended, as the HTTP edge saw it. */
export interface RequestEnd {
  status: number;
  /** The client disconnected before its answer was complete. */
  aborted: boolean;
  /** The failure the client got (or that ended its stream), if any. */
  error?: ProxyError;
}

/** The router's route description (`combo:fast`, `active-combo:fast`, `alias:sonnet`, `scenario:x`, `direct`, ...) as kind and name. */
export function routeOf(description: string): { routeKind: RouteKind; route: string | null } {
  const colon = description.indexOf(':');
  const kind = colon === -1 ? description : description.slice(0, colon);
  const name = colon === -1 ? null : description.slice(colon + 1);
  if (kind === 'combo' || kind === 'active-combo') return { routeKind: 'combo', route: name };
  if (kind === 'alias' || kind === 'scenario') return { routeKind: kind, route: name };
  return { routeKind: 'direct', route: null };
}

/**
 * Upstream stream bytes kept for an output estimate. Past this the later chunks are not kept and the estimate counts
 * the text of the first ones only (a lower bound); 4 MiB of SSE is far more text than most answers have.
 */
export const keptStreamBytes = 4 * 1024 * 1024;

/**
 * What all streams of the process may keep at once, so the estimates' bytes stay bounded whatever the concurrency
 * (a hundred long answers at once would otherwise hold up to 400 MiB). A stream that finds it spent keeps nothing
 * more, and its estimate is a lower bound like one past keptStreamBytes.
 */
export class KeepBudget {
  used = 0;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

const processKeepBudget = new KeepBudget(64 * 1024 * 1024);

/**
 * The reader the request path feeds every upstream chunk of a stream: the format's usage reader, and a list of
 * references to the chunks (O(1) a chunk: the upstream client hands each chunk over once and never reuses it). It
 * keeps a prefix of the stream (once one chunk is not kept, none after it is, so the prefix still decodes), and lets
 * go of everything as soon as the upstream has reported its final output count (nothing will be estimated then).
 */
class KeepingStreamReader implements StreamUsageReader {
  /** Undefined once released (the request is recorded, or the output was reported). */
  chunks: Buffer[] | undefined = [];
  private kept = 0;
  private full = false;
  private readonly reader: StreamUsageReader;
  private readonly budget: KeepBudget;

  constructor(reader: StreamUsageReader, budget: KeepBudget) {
    this.reader = reader;
    this.budget = budget;
  }

  push(chunk: Buffer): void {
    this.reader.push(chunk);
    if (this.chunks === undefined) return;
    if (this.reader.usage()?.outputTokens !== undefined && this.outputFinal()) return this.release();
    if (this.full) return;
    if (this.kept + chunk.byteLength > keptStreamBytes || !this.budget.take(chunk.byteLength)) {
      this.full = true;
      return;
    }
    this.kept += chunk.byteLength;
    this.chunks.push(chunk);
  }

  /** Drops the kept chunks and gives their bytes back to the budget. Idempotent. */
  release(): void {
    this.chunks = undefined;
    this.budget.give(this.kept);
    this.kept = 0;
  }

  usage(): CanonicalUsage | undefined {
    return this.reader.usage();
  }

  outputFinal(): boolean {
    return this.reader.outputFinal?.() ?? true;
  }
}

/** The output the upstream reported, or that must be estimated from the answer's text. */
interface AnswerUsage {
  usage: CanonicalUsage | undefined;
  /** Set only when the usage lacks output tokens and the answer's text could be counted. */
  outputCharacters?: number;
}

function withoutOutput(usage: CanonicalUsage): CanonicalUsage {
  const copy = { ...usage };
  delete copy.outputTokens;
  return copy;
}

export class RequestUsage {
  readonly startedAt: number;
  private firstByteAt: number | null = null;
  private routeKind: RouteKind = 'direct';
  private route: string | null = null;
  private provider: string | null = null;
  private model: string | null = null;
  private keyId: string | null = null;
  private accountId: string | null = null;
  private attempts = 0;
  private lastAttemptProvider: string | null = null;
  private targetsTried = 0;
  private upstreamRateLimited = 0;
  private upstreamFailures = 0;
  private keyRotations = 0;
  private fallbacks = 0;
  /** The last attempt was rate-limited and nothing has been tried since: what comes next says how it was handled. */
  private rateLimitPending = false;
  private rateLimitsRetried = 0;
  private rateLimitsRotated = 0;
  private rateLimitsFellBack = 0;
  private stream = false;
  private reader: StreamUsageReader | undefined;
  /** The stream's kept chunks and how to count their text (only when the upstream's answers can be decoded). */
  private kept: { reader: KeepingStreamReader; counter: OutputCounter } | undefined;
  private bufferedBody: { reading: UsageReading; body: Buffer; asStream: boolean; counter: OutputCounter | undefined } | undefined;
  private inputTokensEstimate: number | undefined;
  private local = false;
  private recorded = false;

  private readonly sink: UsageSink | undefined;
  private readonly now: () => number;
  private readonly clientFormat: WireFormat;
  /** The model the client named; set once the body is read (Gemini names it in the path). */
  requestedModel: string;

  private readonly keepBudget: KeepBudget;

  /** `keepBudget`: where kept stream bytes are counted (the process's own by default; tests pass a small one). */
  constructor(sink: UsageSink | undefined, now: () => number, clientFormat: WireFormat, requestedModel: string, keepBudget: KeepBudget = processKeepBudget) {
    this.keepBudget = keepBudget;
    this.sink = sink;
    this.now = now;
    this.clientFormat = clientFormat;
    this.requestedModel = requestedModel;
    this.startedAt = now();
  }

  /** True when something will be recorded: the request path skips reading usage otherwise. */
  get active(): boolean {
    return this.sink !== undefined;
  }

  routed(description: string): void {
    ({ routeKind: this.routeKind, route: this.route } = routeOf(description));
  }

  /** Switchyard answered the request itself (a Claude Code side request): no provider, no tokens, route `local:<kind>`. */
  answeredLocally(kind: string): void {
    this.local = true;
    this.routeKind = 'local';
    this.route = kind;
  }

  /** A combo target is about to be tried; every one after the first is a fallback. */
  targetStarted(providerId: string, model: string): void {
    if (this.targetsTried > 0) {
      this.fallbacks += 1;
      if (this.rateLimitPending) this.rateLimitsFellBack += 1;
      this.rateLimitPending = false;
    }
    this.targetsTried += 1;
    this.provider = providerId;
    this.model = model;
  }

  /** One upstream send with the key (or signed-in account) the guard leased. */
  attemptStarted(keyId: string, isAccount: boolean): void {
    // Another key of the same provider after a failed attempt is a rotation; a new target's first key is not.
    const previous = this.accountId ?? this.keyId;
    const rotated = this.attempts > 0 && previous !== null && previous !== keyId && this.lastAttemptProvider === this.provider;
    if (rotated) this.keyRotations += 1;
    if (this.rateLimitPending) {
      if (rotated) this.rateLimitsRotated += 1;
      else this.rateLimitsRetried += 1;
      this.rateLimitPending = false;
    }
    this.attempts += 1;
    this.lastAttemptProvider = this.provider;
    this.keyId = isAccount ? null : keyId;
    this.accountId = isAccount ? keyId : null;
  }

  firstByte(): void {
    this.firstByteAt ??= this.now();
  }

  /** An upstream attempt failed (it may still be retried, rotated or fall back). */
  attemptFailed(error: ProxyError): void {
    if (error.scope === 'client') return;
    this.rateLimitPending = error.code === 'rate_limited';
    if (error.code === 'rate_limited') this.upstreamRateLimited += 1;
    else if (error.scope === 'provider' || error.scope === 'key' || error.scope === 'target') this.upstreamFailures += 1;
  }

  /**
   * A stream is being relayed: the returned reader sees every upstream chunk (undefined when nothing records).
   * `isStream` false: a whole answer relayed as it arrives (an image), recorded as not streamed. `counter`: how to
   * count the answer's text if the upstream reports no output tokens (absent: such an output is not estimated).
   */
  streamReader(reading: UsageReading, isStream = true, counter?: OutputCounter): StreamUsageReader | undefined {
    if (isStream) this.stream = true;
    if (!this.sink) return undefined;
    if (!counter) {
      this.reader = reading.createStreamReader();
      return this.reader;
    }
    const reader = new KeepingStreamReader(reading.createStreamReader(), this.keepBudget);
    this.kept = { reader, counter };
    this.reader = reader;
    return reader;
  }

  /**
   * A whole answer: kept as bytes and read only when the request is recorded, after the client has it. `asStream`:
   * the upstream answers even a non-streaming request with a stream (ChatGPT/Codex), so its bytes are read as one.
   */
  bufferedAnswer(reading: UsageReading, body: Buffer, asStream = false, counter?: OutputCounter): void {
    if (this.sink) this.bufferedBody = { reading, body, asStream, counter };
  }

  /** The input estimate of a request that is not chat (embeddings, image prompts), used when the upstream reports no usage. */
  inputEstimate(tokens: number): void {
    this.inputTokensEstimate = tokens;
  }

  /** Records the request once; later calls are ignored. Never throws: the ledger must not break an answer. */
  finish(end: RequestEnd, requestBody: Record<string, unknown> | undefined): void {
    if (this.recorded || !this.sink) return;
    this.recorded = true;
    try {
      this.sink.record(this.event(end, requestBody));
    } catch {
      // record() never throws and the readers take any bytes; this guards the answer against a bug in either.
    }
    // The answer's bytes are no longer needed (pushes after this, if any, are not kept).
    this.kept?.reader.release();
    this.kept = undefined;
    this.bufferedBody = undefined;
    this.reader = undefined;
  }

  private event(end: RequestEnd, requestBody: Record<string, unknown> | undefined): UsageEvent {
    const outcome: UsageOutcome = this.attempts === 0 && !end.aborted ? (end.status < 400 ? 'ok' : 'refused') : end.aborted ? 'aborted' : end.error || end.status >= 400 ? 'error' : 'ok';
    // Estimated only for answers (whole or cut short): a failed request is not billed for a prompt nobody read.
    const estimating = requestBody !== undefined && !this.local && (outcome === 'ok' || outcome === 'aborted');
    const { usage, outputCharacters } = this.answerUsage(estimating);
    return {
      startedAt: this.startedAt,
      durationMs: Math.max(0, this.now() - this.startedAt),
      ttfbMs: this.firstByteAt === null ? null : Math.max(0, this.firstByteAt - this.startedAt),
      clientFormat: this.clientFormat,
      requestedModel: this.requestedModel,
      routeKind: this.routeKind,
      route: this.route,
      provider: this.provider,
      model: this.model,
      keyId: this.keyId,
      accountId: this.accountId,
      attempts: this.attempts,
      outcome,
      errorCode: end.error && end.error.code !== 'client_aborted' ? end.error.code : null,
      status: end.status,
      stream: this.stream,
      usage,
      // Spelled out (no spreads): every finished request builds one of these.
      estimate: estimating ? { clientFormat: this.clientFormat, requestBody: requestBody!, outputCharacters, inputTokens: this.inputTokensEstimate } : undefined,
      billing: this.accountId !== null ? 'subscription' : undefined,
      upstreamRateLimited: this.upstreamRateLimited,
      upstreamFailures: this.upstreamFailures,
      keyRotations: this.keyRotations,
      fallbacks: this.fallbacks,
      rateLimitsRetried: this.rateLimitsRetried,
      rateLimitsRotated: this.rateLimitsRotated,
      rateLimitsFellBack: this.rateLimitsFellBack,
    };
  }

  /**
   * What the upstream reported and, when that lacks the output (`estimating` only), the characters of the answer's
   * text to estimate it from. The answer's bytes are decoded only then: an upstream that reports its output costs a
   * lookup here, nothing more.
   */
  private answerUsage(estimating: boolean): AnswerUsage {
    if (this.reader) {
      const usage = this.reader.usage();
      if (!estimating || !this.kept) return { usage };
      const { reader, counter } = this.kept;
      return streamedOutput(usage, reader, () => counter.stream(reader.chunks ?? []));
    }
    if (!this.bufferedBody) return { usage: undefined };
    const { reading, body, asStream, counter } = this.bufferedBody;
    if (asStream) {
      const reader = reading.createStreamReader();
      reader.push(body);
      const usage = reader.usage();
      if (!estimating || !counter) return { usage };
      return streamedOutput(usage, reader, () => counter.stream([body]));
    }
    let usage: CanonicalUsage | undefined;
    try {
      usage = reading.fromBody(JSON.parse(body.toString('utf8')));
    } catch {
      usage = undefined; // not JSON: the row is still written, its tokens estimated
    }
    if (!estimating || !counter || usage?.outputTokens !== undefined) return { usage };
    try {
      return { usage, outputCharacters: counter.body(body) };
    } catch {
      return { usage }; // a body the format cannot decode: no output estimate, as before
    }
  }
}

/**
 * A stream's usage, with its output counted from the kept bytes when the reader has no output figure, or only an
 * opening placeholder that no later report replaced (the decode settles that: the reader cannot tell a cut stream's
 * message_start from a host that reports usage only in message_delta).
 */
function streamedOutput(usage: CanonicalUsage | undefined, reader: StreamUsageReader, count: () => StreamOutput): AnswerUsage {
  const placeholder = usage?.outputTokens !== undefined && reader.outputFinal?.() === false;
  if (usage?.outputTokens !== undefined && !placeholder) return { usage };
  let counted: StreamOutput;
  try {
    counted = count();
  } catch {
    return { usage }; // bytes the decoders cannot take: no output estimate, as before
  }
  if (placeholder && counted.closingOutputReported) return { usage };
  return { usage: placeholder ? withoutOutput(usage!) : usage, outputCharacters: counted.characters };
}
