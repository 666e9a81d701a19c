import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { GuardSnapshot, KeySnapshot, ProviderSnapshot } from '../../core/guard/guard-snapshot.ts';
import { keylessKeyId } from '../../core/guard/provider-runtime.ts';
import type { ServingStatus } from '../lifecycle/serving-status.ts';
import { describeWait } from './describe-wait.ts';

/**
 * The tray's own small view of the engine, derived from the serving status, the config and the guard snapshot.
 * The icon, tooltip and menu are pure functions of this state (tray-icon.ts, tray-menu.ts), so every state a user
 * can see is unit-tested without Electron.
 */

/** What the icon shows. */
export type TrayMood = 'starting' | 'healthy' | 'degraded' | 'paused' | 'failed';

export type ProviderHealth = 'healthy' | 'degraded' | 'down' | 'off';

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
  serving: ServingStatus['state'];
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
}

export interface TrayInput {
  serving: ServingStatus;
  config: Pick<SwitchyardConfig, 'providers' | 'combos' | 'activeCombo'>;
  /** The guard's snapshot; undefined (or a shape this build does not know) before the engine runs. */
  guard: unknown;
  clientKeyAvailable: boolean;
  launchAtLogin: { supported: boolean; enabled: boolean };
  /** Problems outside the guard that still degrade the service, e.g. "The OS keychain cannot be reached". */
  appProblems?: string[];
  now: number;
}

/** The guard snapshot as this build knows it; anything else (the stand-in guard, an older engine) is ignored. */
export function readGuardSnapshot(value: unknown): GuardSnapshot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<GuardSnapshot>;
  if (typeof candidate.takenAt !== 'number' || !Array.isArray(candidate.providers)) return undefined;
  const wellFormed = candidate.providers.every(
    (provider) => typeof provider?.id === 'string' && typeof provider.queueDepth === 'number' && Array.isArray(provider.keys) && typeof provider.breaker?.state === 'string',
  );
  return wellFormed ? (candidate as GuardSnapshot) : undefined;
}

function keyUnusable(key: KeySnapshot): boolean {
  return key.state !== 'active' || key.breaker.state === 'open';
}

function keyProblem(key: KeySnapshot, now: number): string {
  const name = key.id === keylessKeyId ? 'the endpoint' : `key ${key.label}`;
  if (key.state === 'disabled') return `${name} disabled${key.disabledReason ? ` (${key.disabledReason})` : ''}`;
  if (key.state === 'exhausted') return `${name} out of quota${key.exhaustedUntil ? `, back ${describeWait(key.exhaustedUntil, now)}` : ''}`;
  if (key.state === 'cooling') return `${name} cooling down${key.coolingUntil ? `, back ${describeWait(key.coolingUntil, now)}` : ''}`;
  return `${name} failing${key.breaker.openUntil ? `, next try ${describeWait(key.breaker.openUntil, now)}` : ''}`;
}

interface ProviderAssessment {
  provider: TrayProvider;
  problems: string[];
}

function assessProvider(
  config: SwitchyardConfig['providers'][number],
  snapshot: ProviderSnapshot | undefined,
  now: number,
): ProviderAssessment {
  const name = config.name ?? config.id;
  if (!config.enabled) return { provider: { id: config.id, name, health: 'off', detail: 'switched off' }, problems: [] };
  if (!snapshot) {
    const configured = config.keys.filter((key) => key.enabled).length;
    const detail = config.keys.length === 0 ? 'no key needed' : `${configured} key${configured === 1 ? '' : 's'}`;
    if (config.keys.length > 0 && configured === 0) {
      return { provider: { id: config.id, name, health: 'down', detail: 'every key switched off' }, problems: [`${name}: every key is switched off`] };
    }
    return { provider: { id: config.id, name, health: 'healthy', detail }, problems: [] };
  }

  const keys = snapshot.keys.filter((key) => key.enabled);
  const unusable = keys.filter(keyUnusable);
  const problems = unusable.map((key) => `${name}: ${keyProblem(key, now)}`);
  const details: string[] = [];
  const keyless = keys.length === 1 && keys[0]!.id === keylessKeyId;
  if (!keyless) details.push(keys.length === 0 ? 'every key switched off' : `${keys.length - unusable.length} of ${keys.length} key${keys.length === 1 ? '' : 's'} ready`);

  let health: ProviderHealth = unusable.length > 0 ? 'degraded' : 'healthy';
  if (keys.length === 0 || unusable.length === keys.length) health = 'down';
  if (keys.length === 0) problems.push(`${name}: every key is switched off`);

  const breaker = snapshot.breaker;
  if (breaker.state === 'open') {
    health = 'down';
    const retry = breaker.openUntil ? `, next try ${describeWait(breaker.openUntil, now)}` : '';
    details.push(`failing${retry}`);
    problems.push(`${name}: failing, requests paused${retry}`);
  } else if (breaker.state === 'half-open') {
    if (health === 'healthy') health = 'degraded';
    details.push('recovering');
    problems.push(`${name}: recovering after failures`);
  }
  if (snapshot.queueDepth > 0) {
    if (health === 'healthy') health = 'degraded';
    details.push(`${snapshot.queueDepth} waiting`);
    problems.push(`${name}: ${snapshot.queueDepth} request${snapshot.queueDepth === 1 ? '' : 's'} waiting`);
  }
  if (snapshot.inFlight > 0) details.push(`${snapshot.inFlight} in flight`);
  if (details.length === 0) details.push('ready');
  return { provider: { id: config.id, name, health, detail: details.join(' · ') }, problems };
}

function headlineFor(mood: TrayMood, serving: ServingStatus, problems: string[], configuredProviders: number): string {
  switch (mood) {
    case 'starting':
      return 'Starting…';
    case 'failed':
      return `Not serving: ${serving.state === 'failed' ? firstLine(serving.message) : 'stopped'}`;
    case 'paused':
      if (serving.state === 'pausing') return 'Pausing…';
      if (serving.state === 'stopping') return 'Stopping…';
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

export function deriveTrayState(input: TrayInput): TrayState {
  const { serving, config, now } = input;
  const snapshot = readGuardSnapshot(input.guard);
  const byId = new Map((snapshot?.providers ?? []).map((provider) => [provider.id, provider]));

  const assessments = config.providers.map((provider) => assessProvider(provider, byId.get(provider.id), now));
  const live = serving.state === 'serving';
  const problems: string[] = [];
  if (live) {
    problems.push(...(input.appProblems ?? []));
    if (config.providers.length > 0 && config.providers.every((provider) => !provider.enabled)) problems.push('every provider is switched off');
    problems.push(...assessments.flatMap((assessment) => assessment.problems));
  }

  let mood: TrayMood;
  if (serving.state === 'starting') mood = 'starting';
  else if (serving.state === 'failed') mood = 'failed';
  else if (!live) mood = 'paused';
  else mood = problems.length > 0 ? 'degraded' : 'healthy';

  const load = { inFlight: 0, waiting: 0 };
  if (live) {
    for (const provider of snapshot?.providers ?? []) {
      load.inFlight += provider.inFlight;
      load.waiting += provider.queueDepth;
    }
  }

  const state: TrayState = {
    mood,
    serving: serving.state,
    headline: headlineFor(mood, serving, problems, config.providers.length),
    problems: serving.state === 'failed' ? [serving.message] : problems,
    load,
    providers: assessments.map((assessment) => assessment.provider),
    combos: config.combos.map((combo) => combo.name),
    clientKeyAvailable: input.clientKeyAvailable,
    launchAtLogin: input.launchAtLogin,
  };
  if (serving.state === 'serving') state.endpoint = serving.url;
  if (config.activeCombo !== undefined) state.activeCombo = config.activeCombo;
  return state;
}
