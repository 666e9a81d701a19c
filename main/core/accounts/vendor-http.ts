import type { UpstreamClient } from '../upstream/upstream-client.ts';
import { readCappedText } from '../upstream/read-capped.ts';
import type { HostOverrides } from './host-overrides.ts';
import { applyHostOverride } from './host-overrides.ts';

/** How the account machinery reaches a vendor: the engine's connection pools, the provider's proxy, host overrides. */
export interface VendorHttp {
  upstream: UpstreamClient;
  hostOverrides?: HostOverrides;
  /** The provider's proxy (docs/providers.md "Proxies"); direct when absent. */
  proxy?: string;
}

export interface VendorCall {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent form-encoded (OAuth token endpoints). */
  form?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  signal?: AbortSignal;
}

export interface VendorAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

/** Sign-in and refresh calls are small; a vendor that does not answer in this time is treated as unreachable. */
const vendorCallTimeoutMs = 30_000;

/** One call to a vendor's OAuth, token or quota endpoint (not a model request: those go through the guard). */
export async function callVendor(http: VendorHttp, call: VendorCall, label: string): Promise<VendorAnswer> {
  const url = new URL(applyHostOverride(call.url, http.hostOverrides));
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  let body: string | undefined;
  if (call.form) {
    body = new URLSearchParams(call.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    // AWS's JSON-RPC style operations want their own media type (application/x-amz-json-1.0).
    headers['content-type'] ??= 'application/json';
  }
  const signal = call.signal ? AbortSignal.any([call.signal, AbortSignal.timeout(vendorCallTimeoutMs)]) : AbortSignal.timeout(vendorCallTimeoutMs);
  const response = await http.upstream.send(
    {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: call.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
      ...(http.proxy ? { proxy: http.proxy } : {}),
      timeouts: { firstByteMs: vendorCallTimeoutMs, idleMs: vendorCallTimeoutMs },
    },
    label,
  );
  const text = await readCappedText(response.body);
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.statusCode, headers: response.headers as VendorAnswer['headers'], text, body: parsed };
}

/** A field of a JSON object answer, when it is a string. */
export function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(body: unknown, name: string): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
