// The opt-in request log (docs/request-log.md): decides which requests are captured, and stores finished captures
// masked and capped, after their answer is over. Off (the default) it costs one check per request: `begin` answers
// undefined and the request path does nothing more. The dashboard's "next N requests" switch lives here, in memory:
// a restart ends it, so a forgotten switch cannot keep logging prompts for ever.
import { join } from 'node:path';
import type { RequestLogConfig } from '../../../../shared/config/request-log-schema.ts';
import type { RequestLogEntrySummary, RequestLogEntryView, RequestLogStatusView } from '../../../../shared/request-log-views.ts';
import type { WireFormat } from '../../../../shared/wire-format.ts';
import type { Logger } from '../../logging/logger.ts';
import { maskPart } from './mask-captured.ts';
import { BoundedBytes } from './bounded-bytes.ts';
import type { CapturedPart } from './request-capture.ts';
import { RequestCapture } from './request-capture.ts';
import type { RequestLogStore } from './request-log-store.ts';
import { openRequestLogStore, requestLogFile } from './request-log-store.ts';

export interface RequestLogOptions {
  /** Where `request-log.db` goes; without one entries are kept in memory whatever `keep` says. */
  dataDir?: string;
  logger: Logger;
  now?: () => number;
  /** The current config's `usage.requestLog` (read per request, so a config change applies to the next one). */
  config(): RequestLogConfig;
}

export interface RequestLogSession {
  remaining: number;
  provider: string | null;
}

const megabyte = 1024 * 1024;

const emptyPart = (): CapturedPart => ({ line: '', headers: {}, body: new BoundedBytes(0), stream: false });

/** Each part keeps at most an eighth of the byte cap (so an entry fits), and at most 1 MiB. */
export function partCapOf(config: RequestLogConfig): number {
  return Math.min(megabyte, Math.floor((config.maxMegabytes * megabyte) / 8));
}

export class RequestLog {
  private session: RequestLogSession | undefined;
  private store: RequestLogStore | undefined;
  private storeKeep: RequestLogConfig['keep'] | undefined;
  private problem: string | null = null;
  private queue: RequestCapture[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly now: () => number;

  private readonly options: RequestLogOptions;

  constructor(options: RequestLogOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** A capture for a request that is arriving, or undefined (the common case) when nothing is being logged. */
  begin(clientFormat: WireFormat): RequestCapture | undefined {
    const config = this.options.config();
    if (this.session === undefined && !config.enabled) return undefined;
    return new RequestCapture(partCapOf(config), clientFormat, this.now());
  }

  /** The answer is over: keep the capture if the switch or the config wants this provider's requests. */
  complete(capture: RequestCapture): void {
    if (this.closed || !this.wants(capture.provider)) return;
    this.queue.push(capture);
    this.immediate ??= setImmediate(() => this.write());
  }

  private wants(provider: string | null): boolean {
    const session = this.session;
    if (session && (session.provider === null || session.provider === provider)) {
      session.remaining -= 1;
      if (session.remaining <= 0) this.session = undefined;
      return true;
    }
    const config = this.options.config();
    return config.enabled && (config.providers.length === 0 || (provider !== null && config.providers.includes(provider)));
  }

  /** Masks and stores what is queued (after the answers went out). */
  write(): void {
    this.immediate = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const config = this.options.config();
    const store = this.openStore(config);
    if (!store) return;
    const masker = this.options.logger.masker;
    const caps = { maxEntries: config.maxEntries, maxBytes: config.maxMegabytes * megabyte };
    for (const capture of batch) {
      try {
        store.insert(
          {
            summary: {
              startedAt: capture.startedAt,
              durationMs: Math.max(0, this.now() - capture.startedAt),
              clientFormat: capture.clientFormat,
              method: capture.method,
              path: capture.path,
              requestedModel: masker.mask(capture.requestedModel),
              provider: capture.provider,
              upstreamFormat: capture.upstreamFormat,
              status: capture.status,
              stream: capture.stream,
            },
            parts: {
              clientRequest: maskPart(capture.clientRequest ?? emptyPart(), masker),
              upstreamRequest: capture.upstreamRequest ? maskPart(capture.upstreamRequest, masker) : null,
              upstreamAnswer: capture.upstreamAnswer ? maskPart(capture.upstreamAnswer, masker) : null,
              clientAnswer: maskPart(capture.clientAnswer, masker),
            },
          },
          caps,
        );
      } catch (error) {
        this.problem = `an entry could not be stored: ${error instanceof Error ? error.message : String(error)}`;
        this.options.logger.warn('request log: ' + this.problem);
      }
    }
  }

  private openStore(config: RequestLogConfig): RequestLogStore | undefined {
    const keep = this.options.dataDir === undefined ? 'memory' : config.keep;
    if (this.store && this.storeKeep === keep) return this.store;
    this.store?.close();
    this.store = undefined;
    try {
      this.store = openRequestLogStore(keep === 'disk' ? join(this.options.dataDir!, requestLogFile) : null);
      this.storeKeep = keep;
      this.problem = null;
      return this.store;
    } catch (error) {
      this.problem = `cannot open the request log: ${error instanceof Error ? error.message : String(error)}`;
      this.options.logger.warn('request log: ' + this.problem);
      return undefined;
    }
  }

  /** The dashboard's switch: log the next `requests` requests (to `provider`, or any). */
  start(requests: number, provider: string | null): void {
    this.session = { remaining: requests, provider };
  }

  stop(): void {
    this.session = undefined;
  }

  list(before: number | undefined, limit: number): { entries: RequestLogEntrySummary[]; nextBefore: number | null } {
    this.write();
    const store = this.openStore(this.options.config());
    const entries = store ? store.list(before, limit) : [];
    return { entries, nextBefore: entries.length === limit ? entries[entries.length - 1]!.id : null };
  }

  read(id: number): RequestLogEntryView | undefined {
    this.write();
    return this.openStore(this.options.config())?.read(id);
  }

  clear(): void {
    this.queue = [];
    this.openStore(this.options.config())?.clear();
  }

  status(): RequestLogStatusView {
    this.write();
    const config = this.options.config();
    const store = this.openStore(config);
    const totals = store?.totals() ?? { entries: 0, bytes: 0 };
    return {
      capturing: this.session !== undefined || config.enabled,
      configEnabled: config.enabled,
      configProviders: [...config.providers],
      session: this.session ? { ...this.session } : null,
      summary: describeLogging(config, this.session),
      keep: this.storeKeep ?? (this.options.dataDir === undefined ? 'memory' : config.keep),
      path: store?.path ?? null,
      entries: totals.entries,
      bytes: totals.bytes,
      maxEntries: config.maxEntries,
      maxBytes: config.maxMegabytes * megabyte,
      problem: this.problem,
    };
  }

  close(): void {
    if (this.closed) return;
    if (this.immediate) clearImmediate(this.immediate);
    this.write();
    this.closed = true;
    this.store?.close();
    this.store = undefined;
  }
}

/** "off", "on for the next 3 requests to anthropic", "on (usage.requestLog.enabled) for openai, gemini". */
export function describeLogging(config: RequestLogConfig, session: RequestLogSession | undefined): string {
  if (session) {
    const count = session.remaining === 1 ? 'the next request' : `the next ${session.remaining} requests`;
    return `on for ${count}${session.provider ? ` to ${session.provider}` : ''}`;
  }
  if (!config.enabled) return 'off';
  return `on (usage.requestLog.enabled)${config.providers.length > 0 ? ` for ${config.providers.join(', ')}` : ' for every provider'}`;
}
