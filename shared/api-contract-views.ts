import { z } from 'zod';
import { providerTypes } from './config/provider-schema.ts';
import { comboStrategies } from './config/routing-schema.ts';
import { keyStrategies } from './config/guard-schema.ts';
import { accountFactsSchema } from './api-contract-accounts.ts';

// What the UI sees of the engine: views, never settings documents and never secrets. Every object is strict, so a
// field that is not listed here (a `secret`, say) makes the result fail validation instead of reaching the renderer.

/** Where a key's secret lives (`account`: a signed-in account's tokens, in the secret store). The value itself never leaves main. */
export const keySources = ['keychain', 'env', 'inline', 'account'] as const;

/**
 * A key's state as the UI shows it: the guard's state when the engine knows it, `missing` when its secret cannot be
 * found (env variable unset, keychain entry gone), `unknown` before the guard has reported anything.
 */
export const keyStatuses = ['active', 'cooling', 'exhausted', 'disabled', 'missing', 'unknown'] as const;

export const keyViewSchema = z.strictObject({
  id: z.string(),
  label: z.string().nullable(),
  /** Last four characters of the secret; '' when the secret is short or missing. Never more. */
  last4: z.string().max(4),
  source: z.enum(keySources),
  enabled: z.boolean(),
  status: z.enum(keyStatuses),
  /** Why the key is in its state, for people: "rate limited (429)", "GEMINI_API_KEY is not set". */
  detail: z.string().nullable(),
  /** When a cooling or exhausted key is expected back (ms since epoch). */
  until: z.number().nullable(),
  /** Set when the credential is a signed-in account (copilot, codex): who, plan, state and quota. Never a token. */
  account: accountFactsSchema.optional(),
});

export const providerHealths = ['healthy', 'degraded', 'down', 'disabled', 'no-keys'] as const;

export const providerViewSchema = z.strictObject({
  id: z.string(),
  type: z.enum(providerTypes),
  name: z.string().nullable(),
  baseUrl: z.string().nullable(),
  enabled: z.boolean(),
  models: z.array(z.string()),
  keys: z.array(keyViewSchema),
  /** False for kinds that take no key (a local Ollama): no keys is then fine, not `no-keys`. */
  needsKey: z.boolean(),
  health: z.enum(providerHealths),
});

export const providerListSchema = z.strictObject({ providers: z.array(providerViewSchema) });

export const comboViewSchema = z.strictObject({
  name: z.string(),
  strategy: z.enum(comboStrategies),
  /** Ordered targets as written: `provider-id/model`, `provider-id` or another combo's name. */
  targets: z.array(z.string()),
  /** Weights set on targets (the weighted strategy's shares); a target not listed weighs 1. */
  weights: z.record(z.string(), z.number()),
  active: z.boolean(),
});

export const comboListSchema = z.strictObject({
  combos: z.array(comboViewSchema),
  activeCombo: z.string().nullable(),
});

export const settingsLocationSchema = z.strictObject({
  /** A path or a short description ("electron-store", "/home/me/.config/Switchyard/settings.json"). */
  location: z.string(),
  writable: z.boolean(),
  /** Why the settings cannot be changed here, when they cannot (e.g. they come from a --config file). */
  readOnlyReason: z.string().nullable(),
});

/** The desktop app has every state (it pauses and resumes the engine); headless `serve` is serving or stopped. */
export const engineStates = ['starting', 'serving', 'pausing', 'paused', 'stopping', 'stopped', 'failed'] as const;
export const appModes = ['desktop', 'web'] as const;

export const engineStatusSchema = z.strictObject({
  state: z.enum(engineStates),
  /** For `failed`: what went wrong, in words a person can act on ("Port 8787 is already in use ..."). */
  message: z.string().nullable(),
  mode: z.enum(appModes),
  version: z.string(),
  /** Base URL clients point at (http://127.0.0.1:8787); null while stopped. */
  url: z.string().nullable(),
  host: z.string(),
  port: z.number().int(),
  lanSharing: z.boolean(),
  activeCombo: z.string().nullable(),
  providers: z.number().int(),
  keys: z.number().int(),
  combos: z.number().int(),
  /** Model names clients can ask for (provider-id/model and combo names). */
  models: z.array(z.string()),
  /** Last four characters of the client key clients must send, to recognise it; never the key. */
  clientKeyLast4: z.string().max(4),
  /** Human words for where the client key can be found ("credentials.json in the data dir", "tray menu"). */
  clientKeyWhere: z.string(),
  settings: settingsLocationSchema,
  /** Which secret store holds pasted keys ("OS keychain", "file in the data dir (0600)"). */
  secretStore: z.string(),
});

export const breakerStates = ['closed', 'open', 'half-open'] as const;
export const guardKeyStates = ['active', 'cooling', 'exhausted', 'disabled'] as const;

/** How much of one rate-limit window is used (`perMinute`, `perHour`, `perDay`, `tokensPerMinute`). */
export const windowUsageViewSchema = z.strictObject({
  name: z.enum(['perMinute', 'perHour', 'perDay', 'tokensPerMinute']),
  windowMs: z.number(),
  limit: z.number(),
  used: z.number(),
});

export const guardKeyViewSchema = z.strictObject({
  id: z.string(),
  last4: z.string().max(4),
  state: z.enum(guardKeyStates),
  enabled: z.boolean(),
  inFlight: z.number(),
  requests: z.number(),
  errors: z.number(),
  rateLimited: z.number(),
  reason: z.string().nullable(),
  until: z.number().nullable(),
  breaker: z.enum(breakerStates),
  /** When this key's open breaker lets a probe through. */
  breakerOpenUntil: z.number().nullable(),
  latencyP50Ms: z.number().nullable(),
  windows: z.array(windowUsageViewSchema),
  /** Signed-in accounts only: login, plan, state and the vendor's quota. Never a token. */
  account: accountFactsSchema.optional(),
});

export const guardProviderViewSchema = z.strictObject({
  id: z.string(),
  keyStrategy: z.enum(keyStrategies),
  queueDepth: z.number(),
  inFlight: z.number(),
  requests: z.number(),
  errors: z.number(),
  rateLimited: z.number(),
  latencyP50Ms: z.number().nullable(),
  breaker: z.enum(breakerStates),
  breakerOpenUntil: z.number().nullable(),
  windows: z.array(windowUsageViewSchema),
  keys: z.array(guardKeyViewSchema),
});

export const guardSnapshotViewSchema = z.strictObject({
  takenAt: z.number(),
  /** False while the engine runs a guard that reports no live counters. */
  detailed: z.boolean(),
  providers: z.array(guardProviderViewSchema),
  /** Whether the guard state is shared with other instances through Redis (docs/cluster.md), and why not when it should be. */
  sharedState: z.strictObject({ mode: z.enum(['shared', 'local']), instances: z.number().int().min(0), warning: z.string().optional() }).optional(),
});

export const guardEventViewSchema = z.strictObject({
  type: z.string(),
  at: z.number(),
  providerId: z.string(),
  keyId: z.string().nullable(),
  /** One sentence for people; keys appear as id and last four characters only. */
  message: z.string(),
});

export const connectionTestSchema = z.strictObject({
  ok: z.boolean(),
  providerId: z.string(),
  model: z.string().nullable(),
  /** The key the guard chose for the test request. */
  keyId: z.string().nullable(),
  latencyMs: z.number().nullable(),
  /** Upstream HTTP status when there was an answer. */
  status: z.number().nullable(),
  message: z.string(),
});

/** One place a request would be served, as the router planned it. */
export const routeTargetViewSchema = z.strictObject({
  providerId: z.string(),
  model: z.string(),
  /** The combos the target was reached through, outermost first. */
  combos: z.array(z.string()),
  /** Only these keys of the provider may serve it (a combo entry's `keys`); null: any key. */
  keyIds: z.array(z.string()).nullable(),
});

/** A routing dry run: how the name was resolved (`direct`, `combo:fast`, `scenario:background` ...) and the targets in order. */
export const routePreviewSchema = z.strictObject({
  model: z.string(),
  route: z.string(),
  targets: z.array(routeTargetViewSchema),
});

export const modelListViewSchema = z.strictObject({
  providerId: z.string(),
  models: z.array(z.string()),
  /** `fetched` from the provider's model list, or `configured` (the settings, else the provider kind's defaults). */
  source: z.enum(['fetched', 'configured']),
  fetchedAt: z.number().nullable(),
  /** Why the last fetch failed, when it did (the configured list is shown meanwhile). */
  error: z.string().nullable(),
});

export const modelCatalogViewSchema = z.strictObject({ providers: z.array(modelListViewSchema) });

export const settingsViewSchema = z.strictObject({
  /** Port of the local endpoint. Changing it takes effect when the engine restarts. */
  port: z.number().int(),
  /** Listen on all interfaces (0.0.0.0) instead of this machine only. Off by default; clients still need the key. */
  lanSharing: z.boolean(),
  launchAtLogin: z.boolean(),
  /** Launch at login is a desktop-app feature; false in web mode. */
  launchAtLoginAvailable: z.boolean(),
  /** The saved port or LAN setting differs from what the running engine listens on. */
  restartRequired: z.boolean(),
  settings: settingsLocationSchema,
});

export type KeyView = z.infer<typeof keyViewSchema>;
export type KeyStatus = (typeof keyStatuses)[number];
export type ProviderView = z.infer<typeof providerViewSchema>;
export type ProviderHealth = (typeof providerHealths)[number];
export type ComboView = z.infer<typeof comboViewSchema>;
export type ComboList = z.infer<typeof comboListSchema>;
export type EngineStatus = z.infer<typeof engineStatusSchema>;
export type GuardKeyView = z.infer<typeof guardKeyViewSchema>;
export type GuardProviderView = z.infer<typeof guardProviderViewSchema>;
export type GuardSnapshotView = z.infer<typeof guardSnapshotViewSchema>;
export type GuardEventView = z.infer<typeof guardEventViewSchema>;
export type ConnectionTest = z.infer<typeof connectionTestSchema>;
export type SettingsView = z.infer<typeof settingsViewSchema>;
export type RoutePreview = z.infer<typeof routePreviewSchema>;
export type ModelCatalogView = z.infer<typeof modelCatalogViewSchema>;
