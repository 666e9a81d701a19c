import type {
  ComboList,
  GuardProviderView,
  GuardSnapshotView,
  KeyView,
  ProviderHealth,
  ProviderView,
} from '../../../shared/api-contract.ts';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { ProviderConfig } from '../../../shared/config/provider-schema.ts';
import { isAccountProviderType } from '../../../shared/config/provider-schema.ts';
import type { AccountRecordsSource } from './account-views.ts';
import { recordFacts } from './account-views.ts';
import { keylessKeyId, kindNeedsKey, servedWithoutKey } from '../providers/key-requirement.ts';
import type { SecretFactsCache } from './secret-facts.ts';

function keyStatus(key: ProviderConfig['keys'][number], missing: string | null, guardKey: GuardProviderView['keys'][number] | undefined): Pick<KeyView, 'status' | 'detail' | 'until'> {
  if (!key.enabled) return { status: 'disabled', detail: 'switched off', until: null };
  if (missing) return { status: 'missing', detail: missing, until: null };
  if (!guardKey) return { status: 'unknown', detail: null, until: null };
  return { status: guardKey.state, detail: guardKey.reason, until: guardKey.until };
}

/** The keyless slot as the guard reports it, shaped like a key so one health rule covers both. */
function keylessSlot(guard: GuardProviderView | undefined): Pick<KeyView, 'status'> {
  const slot = guard?.keys.find((key) => key.id === keylessKeyId);
  if (!slot) return { status: 'unknown' };
  return { status: slot.breaker === 'open' ? 'cooling' : slot.state };
}

/**
 * THE health of a provider, for the dashboard and the tray alike: switched off; no usable key; down (breaker open,
 * or no key can serve); degraded (some keys out, or the breaker is probing); healthy.
 */
function health(provider: ProviderConfig, keys: KeyView[], guard: GuardProviderView | undefined): ProviderHealth {
  if (!provider.enabled) return 'disabled';
  const usable: Array<Pick<KeyView, 'status'>> = servedWithoutKey(provider) ? [keylessSlot(guard)] : keys.filter((key) => key.enabled && key.status !== 'missing');
  if (usable.length === 0) return 'no-keys';
  if (guard?.breaker === 'open') return 'down';
  const serving = usable.filter((key) => key.status === 'active' || key.status === 'unknown');
  if (serving.length === 0) return 'down';
  if (serving.length < usable.length || guard?.breaker === 'half-open') return 'degraded';
  return 'healthy';
}

/**
 * A signed-in account shaped like a key, so one health rule and one table cover both: the guard's state while it
 * serves, "disabled" with the reason once it must sign in again.
 */
function accountKeys(provider: ProviderConfig, accounts: AccountRecordsSource | undefined, guard: GuardProviderView | undefined): KeyView[] {
  if (!accounts) return [];
  return accounts.records(provider.id).map((record) => {
    const standing = recordFacts(record, accounts.standing(record.id));
    const guardKey = guard?.keys.find((candidate) => candidate.id === record.id);
    const status: Pick<KeyView, 'status' | 'detail' | 'until'> =
      standing.state === 'sign-in-again'
        ? { status: 'disabled', detail: `must sign in again${standing.stateReason ? `: ${standing.stateReason}` : ''}`, until: null }
        : guardKey
          ? { status: guardKey.state, detail: guardKey.reason, until: guardKey.until }
          : { status: 'unknown', detail: null, until: null };
    return { id: record.id, label: standing.login, last4: '', source: 'account' as const, enabled: true, ...status, account: standing };
  });
}

/** `accounts`: the engine's signed-in accounts, listed as the keys of copilot / codex providers. */
export async function providerView(provider: ProviderConfig, facts: SecretFactsCache, snapshot: GuardSnapshotView, accounts?: AccountRecordsSource): Promise<ProviderView> {
  const guard = snapshot.providers.find((candidate) => candidate.id === provider.id);
  const keys: KeyView[] = isAccountProviderType(provider.type) ? accountKeys(provider, accounts, guard) : [];
  for (const key of provider.keys) {
    const fact = await facts.facts(key.secret);
    keys.push({
      id: key.id,
      label: key.label ?? null,
      last4: fact.last4,
      source: fact.source,
      enabled: key.enabled,
      ...keyStatus(key, fact.missing, guard?.keys.find((candidate) => candidate.id === key.id)),
    });
  }
  return {
    id: provider.id,
    type: provider.type,
    name: provider.name ?? null,
    baseUrl: provider.baseUrl ?? null,
    enabled: provider.enabled,
    models: [...provider.models],
    keys,
    needsKey: kindNeedsKey(provider.type),
    health: health(provider, keys, guard),
  };
}

export function comboTargetName(target: SwitchyardConfig['combos'][number]['targets'][number]): string {
  return typeof target === 'string' ? target : target.target;
}

export function comboList(config: SwitchyardConfig): ComboList {
  const active = config.activeCombo ?? null;
  return {
    combos: config.combos.map((combo) => ({
      name: combo.name,
      strategy: combo.strategy,
      targets: combo.targets.map(comboTargetName),
      weights: Object.fromEntries(combo.targets.flatMap((target) => (typeof target !== 'string' && target.weight !== undefined ? [[target.target, target.weight]] : []))),
      active: combo.name === active,
    })),
    activeCombo: active,
  };
}
