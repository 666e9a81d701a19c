import type { AccountKind } from '../../../shared/config/provider-schema.ts';

export type AccountState = 'ready' | 'sign-in-again';

/**
 * What Switchyard keeps about a signed-in account outside the SecretStore: nothing here is secret. The account's
 * tokens live only in the SecretStore under `secretId(account)`.
 */
export interface AccountRecord {
  /** Stable id, unique across providers; the account's key id in the guard. */
  id: string;
  kind: AccountKind;
  /** The provider (of this kind) the account serves. */
  providerId: string;
  /** The login or e-mail, for people. */
  label: string;
  /** The vendor's own id of the account: signing in again to the same one updates this record. */
  vendorAccountId: string;
  plan?: string;
  /** gemini-cli: the Google Cloud project the account serves with (also kept with its tokens). */
  project?: string;
  /** Kiro (IAM Identity Center): the CodeWhisperer profile requests name (also kept with its tokens). Not secret. */
  profileArn?: string;
  state: AccountState;
  /** Why the account must sign in again. */
  stateReason?: string;
  addedAt: string;
  updatedAt: string;
}

/** The tokens of one account, as stored (JSON) in the SecretStore. */
export interface AccountTokens {
  /** The long-lived grant: an OAuth refresh token (Codex), or the GitHub OAuth token Copilot tokens come from. */
  grant: string;
  /** The short-lived token requests carry, while it is valid. */
  accessToken?: string;
  /** Epoch ms when `accessToken` expires. */
  expiresAt?: number;
  /** Epoch ms when the vendor asked to refresh (Copilot's refresh_in), when earlier than the expiry. */
  refreshAt?: number;
  idToken?: string;
  /** Where requests go for this account (Copilot's endpoints.api). */
  apiBaseUrl?: string;
  /** A client registered at run time (Kiro's AWS SSO OIDC RegisterClient): refreshes need it, and it expires. */
  oauthClient?: RegisteredClient;
  /** Kiro: the start URL (AWS Builder ID or an IAM Identity Center portal) the account signed in through. */
  startUrl?: string;
  /** gemini-cli: the Google Cloud project requests are billed to (entered or discovered at sign-in). Not secret. */
  project?: string;
  /** Kiro (IAM Identity Center): the CodeWhisperer profile ARN found by ListAvailableProfiles at sign-in. Not secret. */
  profileArn?: string;
}

/** An OAuth client registered dynamically for one region (RFC 7591-style), as stored with the tokens. */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** Epoch ms after which the vendor no longer accepts the client (a new one must be registered). */
  expiresAt: number;
  region: string;
}

export function secretId(accountId: string): string {
  return `account:${accountId}`;
}

/** An id from the vendor's login that fits provider key ids (letters, digits, ".", "_", "-"). */
export function accountIdFor(kind: AccountKind, login: string): string {
  const slug = login.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 60);
  return `${kind}-${slug || 'account'}`;
}

export function parseAccountTokens(text: string | undefined): AccountTokens | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<AccountTokens>;
    return typeof parsed.grant === 'string' && parsed.grant.length > 0 ? (parsed as AccountTokens) : undefined;
  } catch {
    return undefined;
  }
}
