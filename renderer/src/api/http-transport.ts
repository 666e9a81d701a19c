import type { ApiEvent, ApiResponse } from '../../../shared/api-contract.ts';
import { apiErrorSchema, checkEvent, httpEventsPath, httpRouteOf, isApiEvent } from '../../../shared/api-contract.ts';
import { SseReader } from './sse-reader.ts';
import type { ApiTransport } from './transport.ts';

export interface HttpTransportOptions {
  token(): string | undefined;
  /** The token was refused (401): the page goes back to sign-in. */
  onUnauthorized(): void;
  /** Whether the event stream is connected, for the "live" indicator. */
  onStreamChange?(connected: boolean): void;
}

type Listener = (payload: never) => void;

/**
 * Web mode: the contract over HTTP (docs/dashboard.md). Calls are GET/POST /api/<channel>; events come from one
 * fetch-read stream of server-sent events (EventSource cannot send the Authorization header), opened while anything
 * listens and reconnected with a growing pause (capped at 15 s) when it drops.
 */
export function httpTransport(options: HttpTransportOptions): ApiTransport {
  const listeners = new Map<ApiEvent, Set<Listener>>();
  let stream: AbortController | undefined;

  const headers = (): Record<string, string> => {
    const token = options.token();
    return token ? { authorization: `Bearer ${token}` } : {};
  };

  async function invoke(channel: Parameters<ApiTransport['invoke']>[0], args: unknown): Promise<ApiResponse<typeof channel>> {
    const route = httpRouteOf(channel);
    let response: Response;
    try {
      response = await fetch(route.path, {
        method: route.method,
        headers: { ...headers(), ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        body: route.method === 'POST' ? JSON.stringify(args ?? {}) : undefined,
        cache: 'no-store',
      });
    } catch {
      return { ok: false, error: { code: 'unavailable', message: 'Switchyard did not answer. Is it still running?' } };
    }
    if (response.status === 401) options.onUnauthorized();
    const body = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
    if (response.ok) return { ok: true, result: body as never };
    const error = apiErrorSchema.safeParse(body?.error);
    if (error.success) return { ok: false, error: error.data };
    const message = (body?.error as { message?: unknown } | undefined)?.message;
    return { ok: false, error: { code: response.status === 401 ? 'unauthorized' : 'internal', message: typeof message === 'string' ? message : `HTTP ${response.status}` } };
  }

  function deliver(event: string, data: string): void {
    if (!isApiEvent(event)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    const checked = checkEvent(event, payload);
    if (!checked.ok) return;
    for (const listener of listeners.get(event) ?? []) listener(checked.value as never);
  }

  async function runStream(controller: AbortController): Promise<void> {
    let pauseMs = 1_000;
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(httpEventsPath, { headers: headers(), cache: 'no-store', signal: controller.signal });
        if (response.status === 401) {
          options.onUnauthorized();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        options.onStreamChange?.(true);
        pauseMs = 1_000;
        const reader = new SseReader();
        const decoder = new TextDecoder();
        const body = response.body.getReader();
        for (;;) {
          const { done, value } = await body.read();
          if (done) break;
          for (const event of reader.push(decoder.decode(value, { stream: true }))) deliver(event.event, event.data);
        }
      } catch {
        // Dropped or refused: wait and try again below.
      }
      options.onStreamChange?.(false);
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      pauseMs = Math.min(pauseMs * 2, 15_000);
    }
  }

  function listenerCount(): number {
    let count = 0;
    for (const set of listeners.values()) count += set.size;
    return count;
  }

  return {
    mode: 'web',
    invoke: invoke as ApiTransport['invoke'],
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      if (!stream) {
        stream = new AbortController();
        void runStream(stream);
      }
      return () => {
        set.delete(listener as Listener);
        if (listenerCount() === 0 && stream) {
          stream.abort();
          stream = undefined;
        }
      };
    },
  };
}
