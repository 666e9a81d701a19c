import { z } from 'zod';

/**
 * Web mode sign-in (docs/dashboard.md "Web mode and the token"). `serve` prints a dashboard link whose fragment holds
 * a one-time sign-in code: `http://127.0.0.1:8787/ui/#code=<code>`. Browsers never send the fragment to the server,
 * so the code stays out of access logs and proxies. The page trades the code, once, for the management token with
 * `POST /api/session`, keeps the token in sessionStorage (gone when the tab closes) and sends it as
 * `Authorization: Bearer` on every call. A used or expired code is refused; the page then asks for the token itself.
 */
export const webSessionPath = '/api/session';
/** The fragment parameter that carries the one-time code. */
export const webSessionFragmentKey = 'code';
/** sessionStorage key of the management token. */
export const webSessionStorageKey = 'switchyard.managementToken';

export const webSessionRequestSchema = z.strictObject({
  code: z.string().min(16, 'the sign-in code is incomplete').max(200),
});

export const webSessionResponseSchema = z.strictObject({
  token: z.string().min(1),
});

export type WebSessionRequest = z.infer<typeof webSessionRequestSchema>;
export type WebSessionResponse = z.infer<typeof webSessionResponseSchema>;
