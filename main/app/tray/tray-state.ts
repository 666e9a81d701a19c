import type { ClientStatusList, ComboList, EngineStatus, GuardKeyView, GuardProviderView, GuardSnapshotView, KeyView, ProviderHealth, ProviderView } from '../../../shared/api-contract.ts';
import { isAccountProviderType } from '../../../shared/config/provider-schema.ts';
import type { QuotaForecastView } from '../../../shared/quota-views.ts';
import { quotaWarnings } from '../../../shared/quota-words.ts';
import { describeWait } from './describe-wait.ts';

/**
 * The tray's state, derived from the control service's views: the same `status`, `providers.list`, `combos.list`,
 * `guard.snapshot` and `settings.get` answers the dashboard reads, so a provider's health is the one the dashboard
 * shows (control/build-views.ts decides it) and the tray keeps no config of its own. The icon, tooltip and menu are
 * pure functions of this state (tray-icon.ts, tray-menu.ts), so every state a user can see is unit-tested without
 * Electron.
 */

/** What the icon shows. */
export type TrayMood = 'starting' | 'healthy' | 'degraded' | 'paused' | 'failed';

export interface TrayProvider {
  id: string;
  name: string;
  health: ProviderHealth;
  /** "2 of 3 keys ready · 4 waiting". */
  detail: string;
}

export interface TrayState {
  mood: TrayMood;
  /** The serving lifecycle, which decides between "Pause serving", "Resume serving" and "Try again". */
  serving: EngineStatus['state'];
  /** The first menu line. */
  headline: string;
  /** Why the mood is not healthy: one short line per problem. */
  problems: string[];
  endpoint?: string;
  load: { inFlight: number; waiting: number };
  providers: TrayProvider[];
  combos: string[];
  activeCombo?: string;
  clientKeyAvailable: boolean;
  launchAtLogin: { supported: boolean; enabled: boolean };
  /** The installed tools and whether each points at Switchyard (from clients.status); empty when unknown. */
  tools: Array<{ name: string; pointsAtSwitchyard: boolean }>;
}

/** The control service's answers the tray is drawn from. */
export interface TrayViews {
  status: EngineStatus;
  providers: readonly ProviderView[];
  combos: ComboList;
  guard: GuardSnapshotView;
  launchAtLogin: { supported: boolean; enabled: boolean };
  /** clients.status, when the control service can answer it (it is not a problem of the service when it cannot). */
  clients?: ClientStatusList;
  /** quota.forecast: limits and quotas about to run out are warned about before they do. */
  quota?: QuotaForecastView;
}

export interface TrayInput extends TrayViews {
  clientKeyAvailable: boolean;
  /** Problems outside the views that still degrade the service, e.g. "The OS keychain cannot be reached". */
  appProblems?: string[];
  now: number;
}

function keyName(key: Pick<KeyView, 'id' | 'last4' | 'account'>): string {
  if (key.account) return `account ${key.account.login}`;
  return `key ${key.id}${key.last4 ? ` (…${key.last4})` : ''}`;
}

/** Why one key (or signed-in account) cannot serve right now, or undefined when it can. */
function keyProblem(key: KeyView, guardKey: GuardKeyView | undefined, now: number): string | undefined {
  const back = (until: number | null, words: string) => (until ? `, ${words} ${describeWait(until, now)}` : '');
  // The vendor refused the account's sign-in: only the person can fix it, so the tray says what to do.
  if (key.account?.state === 'sign-in-again') return `${keyName(key)} must sign in again (Providers)`;
  switch (key.status) {
    case 'missing':
      return `${keyName(key)} missing${key.detail ? ` (${key.detail})` : ''}`;
    case 'disabled':
      return `${keyName(key)} disabled${key.detail ? ` (${key.detail})` : ''}`;
    case 'exhausted':
      return `${keyName(key)} out of quota${back(key.until, 'back')}`;
    case 'cooling':
      return `${keyName(key)} cooling down${back(key.until, 'back')}`;
    default:
      return guardKey?.breaker === 'open' ? `${keyName(key)} failing${back(guardKey.breakerOpenUntil, 'next try')}` : undefined;
  }
}

/** The keyless slot (a local Ollama): the guard's one key of a provider that has none configured. */
function endpointProblem(slot: GuardKeyView | undefined, now: number): string | undefined {
  if (!slot) return undefined;
  if (slot.state === 'cooling' || slot.state === 'exhausted') return `the endpoint ${slot.state === 'cooling' ? 'cooling down' : 'out of quota'}${slot.until ? `, back ${describeWait(slot.until, now)}` : ''}`;
  if (slot.state === 'disabled') return `the endpoint disabled${slot.reason ? ` (${slot.reason})` : ''}`;
  if (slot.breaker === 'open') return `the endpoint failing${slot.breakerOpenUntil ? `, next try ${describeWait(slot.breakerOpenUntil, now)}` : ''}`;
  return undefined;
}

function assessProvider(view: ProviderView, guard: GuardProviderView | undefined, now: number): { provider: TrayProvider; problems: string[] } {
  const name = view.name ?? view.id;
  const entry = (detail: string, problems: string[] = []) => ({ provider: { id: view.id, name, health: view.health, detail }, problems });
  if (view.health === 'disabled') return entry('switched off');

  const problems: string[] = [];
  const details: string[] = [];
  if (!view.needsKey && view.keys.length === 0 && !isAccountProviderType(view.type)) {
    const problem = endpointProblem(guard?.keys[0], now);
    if (problem) problems.push(`${name}: ${problem}`);
  } else {
    const noun = isAccountProviderType(view.type) ? 'account' : 'key';
    const enabled = view.keys.filter((key) => key.enabled);
    const unusable = enabled.map((key) => keyProblem(key, guard?.keys.find((candidate) => candidate.id === key.id), now)).filter((problem) => problem !== undefined);
    problems.push(...unusable.map((problem) => `${name}: ${problem}`));
    if (enabled.length === 0) problems.push(`${name}: ${view.keys.length === 0 ? `has no ${noun === 'account' ? 'account signed in' : 'key'}` : 'every key is switched off'}`);
    details.push(enabled.length === 0 ? (view.keys.length === 0 ? `no ${noun}` : 'every key switched off') : `${enabled.length - unusable.length} of ${enabled.length} ${noun}${enabled.length === 1 ? '' : 's'} ready`);
  }

  if (guard?.breaker === 'open') {
    const retry = guard.breakerOpenUntil ? `, next try ${describeWait(guard.breakerOpenUntil, now)}` : '';
    details.push(`failing${retry}`);
    problems.push(`${name}: failing, requests paused${retry}`);
  } else if (guard?.breaker === 'half-open') {
    details.push('recovering');
    problems.push(`${name}: recovering after failures`);
  }
  if (guard && guard.queueDepth > 0) {
    details.push(`${guard.queueDepth} waiting`);
    problems.push(`${name}: ${guard.queueDepth} request${guard.queueDepth === 1 ? '' : 's'} waiting`);
  }
  if (guard && guard.inFlight > 0) details.push(`${guard.inFlight} in flight`);
  if (details.length === 0) details.push('ready');
  return entry(details.join(' · '), problems);
}

function moodOf(state: EngineStatus['state'], problems: readonly string[]): TrayMood {
  if (state === 'starting') return 'starting';
  if (state === 'failed') return 'failed';
  if (state !== 'serving') return 'paused';
  return problems.length > 0 ? 'degraded' : 'healthy';
}

function headlineFor(mood: TrayMood, status: EngineStatus, problems: string[], configuredProviders: number): string {
  switch (mood) {
    case 'starting':
      return 'Starting…';
    case 'failed':
      return `Not serving: ${firstLine(status.message ?? 'stopped')}`;
    case 'paused':
      if (status.state === 'pausing') return 'Pausing…';
      if (status.state === 'stopping') return 'Stopping…';
      return 'Paused: tools get no answers';
    case 'degraded':
      return `Serving with problems: ${problems[0] ?? ''}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`;
    case 'healthy':
      return configuredProviders === 0 ? 'Serving, but no providers yet' : 'Serving, all providers ready';
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

/**
 * Limits and quotas that run out soon (or have), in the dashboard's words, from the same forecast view. A key the
 * guard already took out (exhausted, cooling, disabled) is said once, by keyProblem, not twice.
 */
function forecastProblems(input: TrayInput): string[] {
  if (!input.quota) return [];
  const reported = new Set(input.providers.flatMap((provider) => provider.keys.filter((key) => key.status !== 'active' && key.status !== 'unknown').map((key) => `${provider.id}/${key.id}`)));
  const enabled = new Set(input.providers.filter((provider) => provider.enabled).map((provider) => provider.id));
  return quotaWarnings(input.quota.credentials, input.now)
    .filter((warning) => enabled.has(warning.provider) && !reported.has(`${warning.provider}/${warning.credential.accountId ?? warning.credential.keyId}`))
    .map((warning) => `${warning.credential.providerName}: ${warning.sentence}`);
}

export function deriveTrayState(input: TrayInput): TrayState {
  const { status, providers, guard, now } = input;
  const live = status.state === 'serving';
  const byId = new Map((live ? guard.providers : []).map((provider) => [provider.id, provider]));
  const assessments = providers.map((provider) => assessProvider(provider, byId.get(provider.id), now));

  const problems: string[] = [];
  if (live) {
    problems.push(...(input.appProblems ?? []));
    // Several instances should share one guard and this one cannot reach it (docs/cluster.md): it serves on its own.
    if (live && guard.sharedState?.warning) problems.push(guard.sharedState.warning);
    if (providers.length > 0 && providers.every((provider) => !provider.enabled)) problems.push('every provider is switched off');
    problems.push(...assessments.flatMap((assessment) => assessment.problems));
    problems.push(...forecastProblems(input));
  }
  const mood = moodOf(status.state, problems);

  const load = { inFlight: 0, waiting: 0 };
  for (const provider of byId.values()) {
    load.inFlight += provider.inFlight;
    load.waiting += provider.queueDepth;
  }

  const state: TrayState = {
    mood,
    serving: status.state,
    headline: headlineFor(mood, status, problems, providers.length),
    problems: status.state === 'failed' ? [status.message ?? 'stopped'] : problems,
    load,
    providers: assessments.map((assessment) => assessment.provider),
    combos: input.combos.combos.map((combo) => combo.name),
    clientKeyAvailable: input.clientKeyAvailable,
    launchAtLogin: input.launchAtLogin,
    tools: (input.clients?.clients ?? []).filter((client) => client.installed || client.pointsAt === 'switchyard').map((client) => ({ name: client.displayName, pointsAtSwitchyard: client.pointsAt === 'switchyard' })),
  };
  if (live && status.url) state.endpoint = status.url;
  if (input.combos.activeCombo !== null) state.activeCombo = input.combos.activeCombo;
  return state;
}
