import type { IncomingMessage } from 'node:http';
import { sameDigest, secretDigest } from '../secrets/secret-digest.ts';

/** Anything that can say whether a presented client key is valid right now. */
export interface ClientKeyCheck {
  matches(presented: string | undefined): boolean;
  /** The named key a presented secret belongs to (its name labels the client on the dashboard); one check, not two. */
  find?(presented: string | undefined): { name: string } | undefined;
}

/**
 * Checks presented keys against the configured ones in constant time. Both sides are hashed first so the comparison
 * takes the same time whatever the lengths, and every configured key is compared (no early exit on a match).
 */
export class KeyChecker implements ClientKeyCheck {
  private readonly digests: string[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(secretDigest);
  }

  matches(presented: string | undefined): boolean {
    if (presented === undefined || presented === '') return false;
    const candidate = secretDigest(presented);
    let matched = false;
    for (const known of this.digests) matched = sameDigest(known, candidate) || matched;
    return matched;
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The client key in whichever form the client's SDK sends it (x-api-key, Bearer, x-goog-api-key, ?key=). */
export function presentedClientKey(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const apiKey = header(request, 'x-api-key');
  if (apiKey) return apiKey;
  const authorization = header(request, 'authorization');
  if (authorization && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, '').trim();
  const googleKey = header(request, 'x-goog-api-key');
  if (googleKey) return googleKey;
  return query.get('key') ?? undefined;
}

/** The management token: `Authorization: Bearer` or `x-switchyard-token`. */
export function presentedManagementToken(request: IncomingMessage): string | undefined {
  const token = header(request, 'x-switchyard-token');
  if (token) return token;
  const authorization = header(request, 'authorization');
  if (authorization && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, '').trim();
  return undefined;
}
