import { Agent, ProxyAgent, Socks5ProxyAgent, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import { ProxyError, clientAbortedError } from '../errors/proxy-error.ts';
import { redactProxyUrl } from './outbound-settings.ts';
import type { ReportingDispatchOptions, SentListener } from './sent-reporting-dispatcher.ts';
import { SentReportingDispatcher } from './sent-reporting-dispatcher.ts';

export interface UpstreamTimeouts {
  /** Establishing the TCP/TLS connection (through the proxy, when there is one). */
  connectMs: number;
  /** From sending the request to the response headers (non-streaming answers arrive whole, so this is generous). */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
}

export const defaultTimeouts: UpstreamTimeouts = { connectMs: 10_000, firstByteMs: 600_000, idleMs: 300_000 };

export interface UpstreamRequest {
  origin: string;
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer | string;
  signal: AbortSignal;
  /** Proxy URL for this send (per provider or key, resolved from the config); direct when absent. */
  proxy?: string;
  /** Timeouts of this provider; the client's defaults fill the rest. */
  timeouts?: Partial<UpstreamTimeouts>;
  /** A dispatcher to use instead of the pooled ones (tests, special transports). */
  dispatcher?: Dispatcher;
  /** Told when the request has been written to its connection (pacing is timed from there); only paced sends carry one. */
  sentReport?: SentListener;
}

export type UpstreamResponse = Dispatcher.ResponseData;

const keepAlive = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 };

/**
 * The only place where bytes leave for a provider; callers reach it only from inside a guard attempt (docs/architecture.md,
 * The request path). Connections are kept alive and pooled per upstream origin inside one dispatcher per way out:
 * direct, or through a given proxy (http/https proxies tunnel https targets with CONNECT; socks5 proxies tunnel
 * everything). Dispatchers are also keyed by connect timeout, the one timeout fixed per connection; first-byte and
 * idle timeouts are set per request.
 */
export class UpstreamClient {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly timeouts: UpstreamTimeouts;

  constructor(timeouts: Partial<UpstreamTimeouts> = {}) {
    this.timeouts = { ...defaultTimeouts, ...timeouts };
  }

  /** Dispatchers currently open, by way out (for tests and the dashboard). */
  get pools(): string[] {
    return [...this.dispatchers.keys()].map((key) => key.replace(/^[^|]*\|/, ''));
  }

  async send(request: UpstreamRequest, providerId: string): Promise<UpstreamResponse> {
    const timeouts = { ...this.timeouts, ...request.timeouts };
    try {
      const dispatcher = request.dispatcher ?? this.dispatcherFor(request.proxy, timeouts.connectMs);
      const options: Dispatcher.RequestOptions & ReportingDispatchOptions = {
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        headersTimeout: timeouts.firstByteMs,
        bodyTimeout: timeouts.idleMs,
      };
      if (request.sentReport) {
        options.sentReport = request.sentReport;
        // A dispatcher handed in (tests, special transports) learns to report too.
        return await (dispatcher instanceof SentReportingDispatcher ? dispatcher : new SentReportingDispatcher(dispatcher)).request(options);
      }
      return await dispatcher.request(options);
    } catch (error) {
      throw networkError(error, providerId, request.signal, request.proxy, timeouts);
    }
  }

  private dispatcherFor(proxy: string | undefined, connectMs: number): Dispatcher {
    const key = `${connectMs}|${proxy ?? 'direct'}`;
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = new SentReportingDispatcher(createDispatcher(proxy, connectMs));
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((dispatcher) => dispatcher.close().catch(() => dispatcher.destroy())));
  }
}

function createDispatcher(proxy: string | undefined, connectMs: number): Dispatcher {
  if (!proxy) return new Agent({ connect: { timeout: connectMs }, ...keepAlive, connections: 256 });
  const url = new URL(proxy);
  if (url.protocol === 'socks5:' || url.protocol === 'socks5h:' || url.protocol === 'socks:') {
    // socks5h (resolve names at the proxy) is what undici does anyway: it sends the host name, not an address.
    if (url.protocol === 'socks5h:') url.protocol = 'socks5:';
    return new Socks5ProxyAgent(url.toString(), { connectTimeout: connectMs });
  }
  return new ProxyAgent({ uri: url.toString(), connectTimeout: connectMs, ...keepAlive, connections: 256 });
}

/** Classifies a failure to get an answer at all (errors are classified once, here). */
export function networkError(
  error: unknown,
  providerId: string,
  signal?: AbortSignal,
  proxy?: string,
  timeouts: UpstreamTimeouts = defaultTimeouts,
): ProxyError {
  if (error instanceof ProxyError) return error;
  if (signal?.aborted) {
    return clientAbortedError(providerId, error);
  }
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const via = proxy ? ` through proxy ${redactProxyUrl(proxy)}` : '';
  const timeout = (text: string) =>
    new ProxyError({ code: 'timeout', status: 504, message: `${providerId}: ${text}`, scope: 'provider', retryable: true, provider: providerId, cause: error });
  if (error instanceof undiciErrors.ConnectTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return timeout(`connecting to the provider${via} timed out after ${timeouts.connectMs} ms (connect timeout)`);
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return timeout(`the provider did not answer within ${timeouts.firstByteMs} ms (first-byte timeout)`);
  }
  if (error instanceof undiciErrors.BodyTimeoutError || code === 'UND_ERR_BODY_TIMEOUT') {
    return timeout(`the provider went silent mid-response for ${timeouts.idleMs} ms (idle timeout)`);
  }
  const detail = code ? `${code}: ${message}` : message;
  return new ProxyError({
    code: 'connection_failed',
    status: 502,
    message: `${providerId}: could not reach the provider${via} (${detail})`,
    scope: 'provider',
    retryable: true,
    provider: providerId,
    cause: error,
  });
}
