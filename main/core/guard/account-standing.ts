/** One usage window of a subscription (Codex's 5-hour and weekly windows, Copilot's monthly premium requests). */
export interface QuotaWindow {
  name: string;
  /** 0-100. */
  usedPercent: number;
  /** Epoch ms when the window resets, when known. */
  resetAt?: number;
  /** The window's length, when known (Codex says it; Copilot's is the month before its reset): for the forecast's rate. */
  windowMs?: number;
  /** Copilot: requests left and the plan's allowance. */
  remaining?: number;
  entitlement?: number;
  unlimited?: boolean;
}

/** The vendor's own view of an account's usage. */
export interface AccountQuota {
  windows: QuotaWindow[];
  /** When set and in the future, the account has no quota left until then: the guard does not pick it. */
  exhaustedUntil?: number;
  readAt: number;
}

/**
 * What the guard knows about a credential that is a signed-in account rather than an API key (docs/accounts.md:
 * an account is a credential). The accounts module owns the object and updates it in place (a refused refresh, a
 * new quota reading); the guard reads it when it picks a key and when it builds the snapshot.
 */
export interface AccountStanding {
  label: string;
  plan?: string;
  /** `sign-in-again`: the vendor refused the grant; out of service until the person signs in again. */
  state: 'ready' | 'sign-in-again';
  stateReason?: string;
  quota?: AccountQuota;
}
