import { Agent, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import { ProxyError } from '../errors/proxy-error.ts';

export interface UpstreamTimeouts {
  /** Establishing the TCP/TLS connection. */
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
  /** A proxy or other dispatcher for this provider/key; the shared keep-alive agent otherwise. */
  dispatcher?: Dispatcher;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/**
 * The only place where bytes leave for a provider. Connections are kept alive and pooled per origin by one undici
 * Agent; callers reach this only from inside a guard attempt (DESIGN.md "The request path").
 */
export class UpstreamClient {
  private readonly agent: Agent;
  private readonly timeouts: UpstreamTimeouts;

  constructor(timeouts: Partial<UpstreamTimeouts> = {}) {
    this.timeouts = { ...defaultTimeouts, ...timeouts };
    this.agent = new Agent({
      connect: { timeout: this.timeouts.connectMs },
      headersTimeout: this.timeouts.firstByteMs,
      bodyTimeout: this.timeouts.idleMs,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connections: 256,
    });
  }

  async send(request: UpstreamRequest, providerId: string): Promise<UpstreamResponse> {
    try {
      return await (request.dispatcher ?? this.agent).request({
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
      });
    } catch (error) {
      throw networkError(error, providerId, request.signal);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Classifies a failure to get an answer at all (DESIGN.md: errors are classified once). */
export function networkError(error: unknown, providerId: string, signal?: AbortSignal): ProxyError {
  if (error instanceof ProxyError) return error;
  if (signal?.aborted) {
    return new ProxyError({ code: 'client_aborted', status: 499, message: 'The client closed the connection', scope: 'client', provider: providerId, cause: error });
  }
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof undiciErrors.ConnectTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ProxyError({ code: 'timeout', status: 504, message: `${providerId}: connecting to the provider timed out`, scope: 'provider', retryable: true, provider: providerId, cause: error });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new ProxyError({ code: 'timeout', status: 504, message: `${providerId}: the provider did not answer in time (first-byte timeout)`, scope: 'provider', retryable: true, provider: providerId, cause: error });
  }
  if (error instanceof undiciErrors.BodyTimeoutError || code === 'UND_ERR_BODY_TIMEOUT') {
    return new ProxyError({ code: 'timeout', status: 504, message: `${providerId}: the provider went silent mid-response (idle timeout)`, scope: 'provider', retryable: true, provider: providerId, cause: error });
  }
  const detail = code ? `${code}: ${message}` : message;
  return new ProxyError({ code: 'connection_failed', status: 502, message: `${providerId}: could not reach the provider (${detail})`, scope: 'provider', retryable: true, provider: providerId, cause: error });
}
