import { Dispatcher } from 'undici';

/**
 * Who to tell that a request is on the wire. The guard's lease is one (its SentReport, joined to this in the
 * pipeline: guard and upstream are one layer and do not import each other).
 */
export interface SentListener {
  requestSent(): void;
}

/** Dispatch options as the upstream client passes them: undici's own, plus who to tell the request is sent. */
export type ReportingDispatchOptions = Dispatcher.DispatchOptions & { sentReport?: SentListener };

type Handler = Dispatcher.DispatchHandler;

/**
 * Forwards every callback of undici's request handler unchanged and reports `onRequestSent`: undici calls it once
 * the request (headers and body) has been written to the connection, that is after connect, proxy handshake and
 * TLS. Methods on the prototype, one small object per paced request, nothing per chunk besides the forward.
 */
class SentReportingHandler implements Handler {
  readonly #handler: Handler;
  readonly #report: SentListener;

  constructor(handler: Handler, report: SentListener) {
    this.#handler = handler;
    this.#report = report;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#handler.onRequestStart?.(controller, context);
  }

  onRequestSent(): void {
    this.#report.requestSent();
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>, statusMessage?: string): void {
    this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[]>): void {
    this.#handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#handler.onResponseError?.(controller, error);
  }
}

/**
 * A dispatcher in front of one of the upstream client's pools (direct, http proxy or socks5 proxy alike): a request
 * that carries a `sentReport` gets it called when it was written to the wire, which is what pacing is timed from
 * (docs/guard.md, Pacing at the wire). Requests without one pass straight through: one property check.
 */
export class SentReportingDispatcher extends Dispatcher {
  readonly #inner: Dispatcher;

  constructor(inner: Dispatcher) {
    super();
    this.#inner = inner;
  }

  override dispatch(options: ReportingDispatchOptions, handler: Handler): boolean {
    const report = options.sentReport;
    return this.#inner.dispatch(options, report === undefined ? handler : new SentReportingHandler(handler, report));
  }

  override close(): Promise<void> {
    return this.#inner.close();
  }

  override destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
