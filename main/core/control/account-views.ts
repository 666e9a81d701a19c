import type { AccountFacts, AccountView } from '../../../shared/api-contract.ts';
import type { AccountRecord } from '../accounts/account-record.ts';
import type { AccountQuota, AccountStanding } from '../guard/account-standing.ts';

/** What the views need of the engine's accounts; main/core/accounts/account-pool.ts fits it. */
export interface AccountRecordsSource {
  records(providerId?: string): AccountRecord[];
  standing(accountId: string): AccountStanding | undefined;
}

function quotaView(quota: AccountQuota | undefined): AccountFacts['quota'] {
  if (!quota) return null;
  return {
    windows: quota.windows.map((window) => ({
      name: window.name,
      usedPercent: window.usedPercent,
      resetAt: window.resetAt ?? null,
      remaining: window.remaining ?? null,
      entitlement: window.entitlement ?? null,
      unlimited: window.unlimited ?? false,
    })),
    exhaustedUntil: quota.exhaustedUntil ?? null,
    readAt: quota.readAt,
  };
}

/**
 * An account's standing as the views show it: login, plan, state and quota. Built field by field from the live
 * standing (which the guard also reads), so nothing else of the account, and never a token, can reach a view.
 */
export function accountFacts(standing: AccountStanding): AccountFacts {
  return {
    login: standing.label,
    plan: standing.plan ?? null,
    state: standing.state,
    stateReason: standing.stateReason ?? null,
    quota: quotaView(standing.quota),
  };
}

/** The guard snapshot's account part (already token-free) in the same shape. */
export function snapshotAccountFacts(account: { login: string; plan?: string; state: AccountStanding['state']; stateReason?: string; quota?: AccountQuota }): AccountFacts {
  return accountFacts({ label: account.login, state: account.state, ...(account.plan ? { plan: account.plan } : {}), ...(account.stateReason ? { stateReason: account.stateReason } : {}), ...(account.quota ? { quota: account.quota } : {}) });
}

/** The account's facts from its live standing, else (not bound to a served provider) from its stored record. */
export function recordFacts(record: AccountRecord, standing: AccountStanding | undefined): AccountFacts {
  const facts = accountFacts(standing ?? { label: record.label, state: record.state, ...(record.plan ? { plan: record.plan } : {}), ...(record.stateReason ? { stateReason: record.stateReason } : {}) });
  // The project is not secret and lives on the record (the standing is what the guard reads, it has none).
  return record.project ? { ...facts, project: record.project } : facts;
}

export function accountView(record: AccountRecord, standing: AccountStanding | undefined): AccountView {
  return { id: record.id, kind: record.kind, providerId: record.providerId, ...recordFacts(record, standing), addedAt: record.addedAt, updatedAt: record.updatedAt };
}

export function accountList(source: AccountRecordsSource): { accounts: AccountView[] } {
  return { accounts: source.records().map((record) => accountView(record, source.standing(record.id))) };
}
