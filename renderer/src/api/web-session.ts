import { httpRouteOf } from '../../../shared/api-contract.ts';
import { webSessionFragmentKey, webSessionPath, webSessionResponseSchema, webSessionStorageKey } from '../../../shared/api-contract-web.ts';

/**
 * The management token in web mode. It arrives once, as a one-time code in the link `serve` prints
 * (`/ui/#code=...`): fragments never reach the server or its logs. The code is traded for the token, the fragment is
 * wiped from the address bar and history, and the token lives in sessionStorage only (gone when the tab closes).
 */
export function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(webSessionStorageKey) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeToken(token: string): void {
  sessionStorage.setItem(webSessionStorageKey, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(webSessionStorageKey);
}

/** Reads and removes `code=` from the fragment, keeping any route (`#/providers`) the link also had. */
export function takeCodeFromFragment(): string | undefined {
  const fragment = window.location.hash.replace(/^#/, '');
  const params = new URLSearchParams(fragment.includes('=') && !fragment.startsWith('/') ? fragment : '');
  const code = params.get(webSessionFragmentKey) ?? undefined;
  if (code !== undefined) history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/dashboard`);
  return code;
}

let startup: Promise<ExchangeOutcome | undefined> | undefined;

/**
 * Signs in from the page's own link once per page load: trades the fragment's code when there is one. Memoised, so a
 * second caller (React runs effects twice in development) waits for the same exchange instead of finding no code.
 */
export function signInFromLink(): Promise<ExchangeOutcome | undefined> {
  startup ??= (async () => {
    const code = takeCodeFromFragment();
    return code ? exchangeCode(code) : undefined;
  })();
  return startup;
}

export type ExchangeOutcome = { ok: true } | { ok: false; message: string };

export async function exchangeCode(code: string): Promise<ExchangeOutcome> {
  let response: Response;
  try {
    response = await fetch(webSessionPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }), cache: 'no-store' });
  } catch {
    return { ok: false, message: 'Switchyard did not answer. Is `switchyard serve` still running?' };
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  const parsed = webSessionResponseSchema.safeParse(body);
  if (response.ok && parsed.success) {
    storeToken(parsed.data.token);
    return { ok: true };
  }
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return { ok: false, message: typeof message === 'string' ? message : `Sign-in failed (HTTP ${response.status}).` };
}

/** Checks a pasted token by asking for the status with it. */
export async function tryToken(token: string): Promise<ExchangeOutcome> {
  try {
    const response = await fetch(httpRouteOf('status').path, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (response.ok) {
      storeToken(token);
      return { ok: true };
    }
    return { ok: false, message: response.status === 401 ? 'That is not the management token of this Switchyard.' : `Switchyard answered HTTP ${response.status}.` };
  } catch {
    return { ok: false, message: 'Switchyard did not answer. Is `switchyard serve` still running?' };
  }
}
