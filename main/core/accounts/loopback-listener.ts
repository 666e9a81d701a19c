import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Clock } from '../guard/clock.ts';
import { flowClock } from './flow-clock.ts';
import { SignInError } from './sign-in-error.ts';

export interface LoopbackOptions {
  /** Ports to try in order; the vendor may allow only these (Codex: 1455, then 1457). 0 picks a free one (tests). */
  ports: readonly number[];
  /** The callback path, e.g. `/auth/callback`. */
  path: string;
  state: string;
  /** How long the listener waits for the browser before the flow expires. */
  timeoutMs: number;
  /** Host name in the redirect URI the vendor registered (`localhost` for Codex); the listener binds 127.0.0.1 only. */
  redirectHost: string;
  clock?: Clock;
}

export interface LoopbackListener {
  port: number;
  redirectUri: string;
  /** The authorization code from the browser's callback with the right state. */
  code: Promise<string>;
  /** Ends the flow (rejects `code` with a cancelled error unless it already settled) and closes the listener. */
  cancel(message?: string): void;
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;max-width:36em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body>`;

function listen(server: Server, port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/**
 * The loopback callback of an authorization-code flow (RFC 8252): binds 127.0.0.1 only, takes the first free port
 * of the list, accepts only a callback carrying the flow's `state` (anything else is refused and the flow keeps
 * waiting), and closes after the flow, a cancel, or `timeoutMs`. Undefined when every port is taken: the caller
 * then offers the paste-the-redirect-URL fallback.
 */
export async function openLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener | undefined> {
  const clock = options.clock ?? flowClock;
  let settle: { resolve(code: string): void; reject(error: Error): void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  code.catch(() => {}); // a caller that stopped waiting must not cause an unhandled rejection
  let done = false;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== options.path) {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(page('Not found', 'This address only takes the sign-in callback.'));
      return;
    }
    if (url.searchParams.get('state') !== options.state) {
      response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page('Sign-in refused', 'This callback does not belong to the sign-in Switchyard started (its state does not match). Nothing was stored.'));
      return;
    }
    const error = url.searchParams.get('error');
    const received = url.searchParams.get('code');
    if (error || !received) {
      const description = url.searchParams.get('error_description') ?? error ?? 'no authorization code';
      response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page('Sign-in not completed', `The sign-in was not completed (${description}). Nothing was stored; you can close this tab.`));
      finish(new SignInError(error === 'access_denied' ? 'denied' : 'vendor', `The sign-in was not completed in the browser: ${description}. Nothing was stored.`));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Signed in', 'Switchyard received your sign-in. You can close this tab.'));
    finish(received);
  });
  function finish(outcome: string | Error): void {
    if (done) return;
    done = true;
    timer.cancel();
    server.close();
    server.closeAllConnections();
    if (typeof outcome === 'string') settle!.resolve(outcome);
    else settle!.reject(outcome);
  }

  let port: number | undefined;
  for (const candidate of options.ports) {
    port = await listen(server, candidate);
    if (port !== undefined) break;
  }
  if (port === undefined) return undefined;
  const minutes = Math.round(options.timeoutMs / 60_000);
  const timer = clock.setTimer(options.timeoutMs, () =>
    finish(new SignInError('expired', `The sign-in was not completed within ${minutes > 0 ? `${minutes} minutes` : `${options.timeoutMs} ms`}; the callback listener is closed. Nothing was stored; start again.`)),
  );
  return {
    port,
    redirectUri: `http://${options.redirectHost}:${port}${options.path}`,
    code,
    cancel: (message = 'The sign-in was cancelled. Nothing was stored.') => finish(new SignInError('cancelled', message)),
  };
}

/**
 * The paste-the-redirect-URL fallback: the person copies the address the browser was sent to after signing in
 * (it fails to load when no listener runs) and pastes it. The state must match, as for the listener.
 */
export function codeFromRedirectUrl(pasted: string, expectedState: string): string {
  let url: URL;
  try {
    url = new URL(pasted.trim());
  } catch {
    throw new SignInError('vendor', 'That is not a URL. Paste the whole address from the browser\'s address bar after signing in (it starts with http://localhost:1455/auth/callback?code=...).');
  }
  if (url.searchParams.get('state') !== expectedState) {
    throw new SignInError('state-mismatch', 'That address belongs to another sign-in (its state does not match this one). Nothing was stored; use the address from the sign-in you just started.');
  }
  const error = url.searchParams.get('error');
  if (error) throw new SignInError(error === 'access_denied' ? 'denied' : 'vendor', `The sign-in was not completed: ${url.searchParams.get('error_description') ?? error}. Nothing was stored.`);
  const code = url.searchParams.get('code');
  if (!code) throw new SignInError('vendor', 'That address holds no authorization code. Paste the address the browser shows after you signed in.');
  return code;
}

/** The paste-the-redirect alternative to a loopback listener: what the person pasted, parsed into the flow's code. */
export interface PastedAnswer {
  /** Resolves with the parsed code; rejects when parsing fails or the flow is abandoned. Never unhandled. */
  readonly code: Promise<string>;
  /** Takes what the person pasted (an address, or a bare code where the flow allows one). */
  submit(text: string): void;
  /** Ends the wait with this error (cancelled, expired). */
  abandon(error: Error): void;
}

export function pastedAnswer(parse: (text: string) => string): PastedAnswer {
  const { promise, resolve, reject } = Promise.withResolvers<string>();
  promise.catch(() => {});
  return {
    code: promise,
    submit(text) {
      try {
        resolve(parse(text));
      } catch (error) {
        reject(error as Error);
      }
    },
    abandon: reject,
  };
}

/** The code from whichever comes first, the browser's callback or the paste; the listener stops either way. */
export async function firstCode(listener: LoopbackListener | undefined, paste: PastedAnswer): Promise<string> {
  try {
    return await (listener ? Promise.race([listener.code, paste.code]) : paste.code);
  } finally {
    listener?.cancel();
  }
}
