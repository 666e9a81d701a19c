import type { AccountKind } from '../../../shared/config/provider-schema.ts';
import type { Clock } from '../guard/clock.ts';
import type { ResponseHeaders } from '../guard/guard-contract.ts';
import type { AccountQuota } from './account-quota.ts';
import type { AccountTokens } from './account-record.ts';
import type { VendorHttp } from './vendor-http.ts';

/** What the person must do to finish a sign-in, for the terminal and the dashboard's dialog. */
export type SignInPrompt =
  | {
      kind: 'device';
      /** Open this page... */
      verificationUrl: string;
      /** ...and enter this code. */
      userCode: string;
      expiresAt: number;
    }
  | {
      /** No browser on this machine (gemini-cli): open the page on any device and paste the code it shows. */
      kind: 'code';
      url: string;
      pasteHint: string;
      expiresAt: number;
    }
  | {
      kind: 'browser';
      /** Open this page and sign in. */
      url: string;
      /** False when no callback listener could start (both vendor ports busy): the person pastes the redirect URL. */
      listening: boolean;
      redirectUri: string;
      /** How to finish when the browser cannot reach the listener (another machine, ports busy). */
      pasteHint: string;
      /** For a dashboard opened from another machine: the port forward that makes the loopback callback work. */
      sshHint: string;
      expiresAt: number;
    };

/** The vendor's answer once the person signed in: who it is, and the tokens. */
export interface SignedIn {
  vendorAccountId: string;
  label: string;
  plan?: string;
  /** gemini-cli: the Google Cloud project, kept on the record too (accounts list, the provider card). */
  project?: string;
  /** Kiro (IAM Identity Center): the CodeWhisperer profile requests name, kept on the record too. */
  profileArn?: string;
  tokens: AccountTokens;
}

/** A started sign-in. `result` settles once; `cancel` ends it with nothing stored. */
export interface PendingSignIn {
  prompt: SignInPrompt;
  result: Promise<SignedIn>;
  cancel(): void;
  /** Browser flows only: finish with the address the browser was redirected to (the paste fallback). */
  submitRedirectUrl?(url: string): void;
}

export interface KindContext {
  http: VendorHttp;
  /** The OAuth client id: the provider's `oauth.clientId`, else the vendor's public client. */
  clientId: string;
  /** The OAuth client's secret, for vendors whose installed-app clients have one (Google): `oauth.clientSecret`, else the public client's. */
  clientSecret?: string;
  now(): number;
  signal?: AbortSignal;
  /** Timers of the sign-in flow (polling, listener timeout); a real clock unless a test drives time. */
  clock?: Clock;
  /** Long-lived, secret vendor state that belongs to no one account (Kiro's registered OIDC clients): the SecretStore. */
  vault?: KindVault;
}

/** A narrow view of the SecretStore for a kind's own secrets (ids are prefixed by the pool). */
export interface KindVault {
  get(id: string): Promise<string | undefined>;
  set(id: string, secret: string): Promise<void>;
}

export interface SignInOptions {
  /**
   * The sign-in for a machine without a browser: Codex's device code; for gemini-cli, Google's page that shows a
   * code to paste back (the browser may run on any device).
   */
  device?: boolean;
  /** gemini-cli: the Google Cloud project to use; discovered (or set up) through Code Assist when absent. */
  project?: string;
  /** gemini-cli: between polls of Code Assist's onboarding operation (default 5 s); tests pass a short one. */
  onboardingPollMs?: number;
  /** Callback ports to try (Codex pins 1455, then 1457); tests pass free ones. */
  callbackPorts?: readonly number[];
  /** The callback listener and device codes give up after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Kiro: an AWS IAM Identity Center start URL instead of AWS Builder ID's. */
  startUrl?: string;
  /** Kiro: the AWS region of that IAM Identity Center instance (default us-east-1). */
  region?: string;
}

/** Why a sign-in cannot start yet, and what to do about it. */
export interface SignInBlocker {
  title: string;
  message: string;
}

/** What the request path needs to send as this account. */
export interface AccountCredential {
  token: string;
  /** Where requests go for this account, when it is not the provider's base URL. */
  baseUrl?: string;
  /** Per-account headers (Codex: chatgpt-account-id). */
  headers: Record<string, string>;
  /** gemini-cli: the Google Cloud project that goes into each request's Code Assist envelope. */
  project?: string;
  /** Kiro: the CodeWhisperer profile ARN that goes into each request (IAM Identity Center set-ups that need one). */
  profileArn?: string;
}

/**
 * One account kind (docs/accounts.md): its sign-in flow, how its tokens refresh, what a request carries, and its
 * quota reader. The generic parts (serialised refresh, storage, the guard) are shared; this holds the vendor's wire.
 */
export interface AccountKindDriver {
  readonly kind: AccountKind;
  /** "GitHub Copilot", "ChatGPT", for messages. */
  readonly vendor: string;
  readonly defaultClientId: string;
  /** The public client's secret, for vendors whose installed-app clients carry one (Google). */
  readonly defaultClientSecret?: string;
  /** Refresh this long before the access token expires (plus up to `refreshJitterMs` earlier, at random). */
  readonly refreshLeadMs: number;
  readonly refreshJitterMs: number;
  /**
   * The vendor's quotas are per model (Code Assist): a spent quota takes the account out for that model only, as
   * the guard already does for a key, instead of for every model until the reset.
   */
  readonly quotaPerModel?: boolean;
  /**
   * What stops a sign-in before it starts, in words for the person (gemini-cli without a client secret), so the
   * dialog can say it next to the vendor's terms instead of failing after the person confirmed them.
   */
  signInBlocker?(context: KindContext): SignInBlocker | undefined;
  signIn(context: KindContext, options: SignInOptions): Promise<PendingSignIn>;
  /** New tokens from the grant. Throws GrantRefusedError when only signing in again helps. */
  refresh(tokens: AccountTokens, context: KindContext): Promise<AccountTokens>;
  credential(tokens: AccountTokens): AccountCredential;
  /** The vendor's usage figure, read on its own endpoint (Copilot), when the kind has one. */
  readQuota?(tokens: AccountTokens, context: KindContext): Promise<AccountQuota | undefined>;
  /** Usage windows a response's headers report (Codex), when the kind sends them. */
  quotaFromHeaders?(headers: ResponseHeaders, now: number): AccountQuota | undefined;
}

/** The vendor refused the grant for good (revoked, expired, reused): the account must sign in again. */
export class GrantRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrantRefusedError';
  }
}
