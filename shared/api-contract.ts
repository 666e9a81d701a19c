import { z } from 'zod';
import { idSchema, providerTypes } from './config/provider-schema.ts';
import { comboSchema, comboStrategies } from './config/routing-schema.ts';
import { wireFormats } from './wire-format.ts';
import { accountChannels, accountEvents } from './api-contract-accounts.ts';
import {
  comboListSchema,
  connectionTestSchema,
  engineStatusSchema,
  guardEventViewSchema,
  guardSnapshotViewSchema,
  modelCatalogViewSchema,
  providerListSchema,
  routePreviewSchema,
  providerViewSchema,
  settingsViewSchema,
} from './api-contract-views.ts';
import { usageChannels } from './api-contract-usage.ts';
import { usageInsightChannels } from './api-contract-usage-insights.ts';
import { requestLogChannels } from './api-contract-request-log.ts';
import { clientChannels } from './api-contract-clients.ts';
import { networkChannels } from './api-contract-network.ts';

/**
 * THE API between the UI and main: every channel with its zod-checked arguments and result, and every event main
 * pushes. Both transports are built from this table and nothing else:
 * - desktop: the preload exposes `window.switchyard` (SwitchyardBridge below); main answers on IPC channel
 *   `switchyard:<channel>` and pushes events on `switchyard:event`.
 * - web mode: `GET|POST /api/<channel with dots as slashes>` with the management token; events as
 *   server-sent events from `GET /api/events`.
 * Main validates arguments on every call (renderer input is untrusted) and results before they leave (a strict
 * result schema stops an accidental secret). Add channels; do not change the meaning of existing ones.
 */

/** A pasted key. Trimmed; inner whitespace means two keys pasted on one line. */
export const newKeySchema = z.strictObject({
  secret: z
    .string()
    .trim()
    .min(8, 'paste the whole key (at least 8 characters)')
    .max(4096, 'that is too long for an API key')
    .regex(/^\S+$/, 'a key has no spaces; paste one key per line'),
  label: z.string().trim().max(60, 'keep the label under 60 characters').optional(),
});

const noArgs = z.strictObject({});
const modelListSchema = z.array(z.string().trim().min(1, 'a model name cannot be empty')).max(200);
const baseUrlSchema = z.url({ protocol: /^https?$/, error: 'enter a full http:// or https:// address' });

const channelTable = {
  /** Engine state, endpoint and counts: the dashboard header and the tray. */
  status: { method: 'GET', args: noArgs, result: engineStatusSchema },
  /** The live guard state: queues, in-flight, key states, breakers. */
  'guard.snapshot': { method: 'GET', args: noArgs, result: guardSnapshotViewSchema },

  'providers.list': { method: 'GET', args: noArgs, result: providerListSchema },
  /** Adds a provider; pasted keys go to the secret store, the settings keep only their ids. */
  'providers.add': {
    method: 'POST',
    args: z.strictObject({
      id: idSchema,
      type: z.enum(providerTypes),
      name: z.string().trim().max(80).optional(),
      baseUrl: baseUrlSchema.optional(),
      models: modelListSchema.default([]),
      keys: z.array(newKeySchema).max(50, 'add at most 50 keys at once').default([]),
    }),
    result: providerViewSchema,
  },
  /** Changes a provider's switches; fields left out stay as they are. `baseUrl: null` returns to the default. */
  'providers.update': {
    method: 'POST',
    args: z.strictObject({
      id: z.string().min(1),
      enabled: z.boolean().optional(),
      name: z.string().trim().max(80).nullable().optional(),
      baseUrl: baseUrlSchema.nullable().optional(),
      models: modelListSchema.optional(),
    }),
    result: providerViewSchema,
  },
  /** Removes a provider and deletes its keys from the secret store. Refused while a combo uses it. */
  'providers.remove': { method: 'POST', args: z.strictObject({ id: z.string().min(1) }), result: providerListSchema },
  /** Sends one tiny real request through the guard and says what happened. */
  'providers.test': {
    method: 'POST',
    args: z.strictObject({ id: z.string().min(1), model: z.string().trim().min(1).optional() }),
    result: connectionTestSchema,
  },

  'keys.add': {
    method: 'POST',
    args: z.strictObject({ providerId: z.string().min(1), keys: z.array(newKeySchema).min(1, 'paste at least one key').max(50) }),
    result: providerViewSchema,
  },
  'keys.update': {
    method: 'POST',
    args: z.strictObject({
      providerId: z.string().min(1),
      keyId: z.string().min(1),
      enabled: z.boolean().optional(),
      label: z.string().trim().max(60).nullable().optional(),
    }),
    result: providerViewSchema,
  },
  /** Puts a key back in service after a 401/403 or a spent quota (clears disabled, cooling, exhausted). */
  'keys.reset': {
    method: 'POST',
    args: z.strictObject({ providerId: z.string().min(1), keyId: z.string().min(1) }),
    result: providerViewSchema,
  },
  'keys.remove': {
    method: 'POST',
    args: z.strictObject({ providerId: z.string().min(1), keyId: z.string().min(1) }),
    result: providerViewSchema,
  },

  'combos.list': { method: 'GET', args: noArgs, result: comboListSchema },
  /**
   * Creates or replaces a combo (reordering = saving the new order). `previousName` renames. `weights` (target ->
   * share, for the weighted strategy) replaces every weight when given: a target left out goes back to the default
   * of 1. Left out entirely, the weights already saved stay.
   */
  'combos.save': {
    method: 'POST',
    args: z.strictObject({
      name: comboSchema.shape.name,
      targets: z.array(z.string().trim().min(1)).min(1, 'add at least one target').max(50),
      strategy: z.enum(comboStrategies).default('fallback'),
      weights: z.record(z.string(), z.number('a weight is a number').min(0, 'a weight cannot be negative').max(1_000_000, 'keep weights under a million')).optional(),
      previousName: z.string().min(1).optional(),
    }),
    result: comboListSchema,
  },
  'combos.remove': { method: 'POST', args: z.strictObject({ name: z.string().min(1) }), result: comboListSchema },
  /** Makes a combo serve bare model names; `null` turns that off. Applies at once. */
  'combos.activate': { method: 'POST', args: z.strictObject({ name: z.string().min(1).nullable() }), result: comboListSchema },

  /**
   * A routing dry run: the targets a request for `model` would try, in order, without sending anything or advancing
   * round-robin turns. With a request `body` (in `format`) the scenario rules apply as they would to that request.
   */
  'routing.resolve': {
    method: 'POST',
    args: z.strictObject({
      model: z.string().trim().min(1, 'name a model'),
      format: z.enum(wireFormats).default('anthropic'),
      body: z.record(z.string(), z.unknown()).optional(),
    }),
    result: routePreviewSchema,
  },

  /** Each provider's model list: fetched from the provider where it offers one (cached for 10 minutes), else configured. */
  'models.list': { method: 'GET', args: noArgs, result: modelCatalogViewSchema },
  /** The same lists, fetched again now (after `ollama pull`, say). */
  'models.refresh': { method: 'POST', args: noArgs, result: modelCatalogViewSchema },

  'settings.get': { method: 'GET', args: noArgs, result: settingsViewSchema },
  'settings.update': {
    method: 'POST',
    args: z.strictObject({
      port: z.int('the port is a whole number').min(1024, 'pick a port from 1024 to 65535').max(65535, 'pick a port from 1024 to 65535').optional(),
      lanSharing: z.boolean().optional(),
      launchAtLogin: z.boolean().optional(),
    }),
    result: settingsViewSchema,
  },
  ...usageChannels,
  ...usageInsightChannels,
  ...requestLogChannels,
  ...accountChannels,
  ...clientChannels,
  ...networkChannels,
} as const satisfies Record<string, { method: 'GET' | 'POST'; args: z.ZodType; result: z.ZodType }>;

const eventTable = {
  /** The engine's status changed (config applied, started, stopped). */
  status: engineStatusSchema,
  /** A fresh guard snapshot, about once a second while someone listens. */
  'guard.snapshot': guardSnapshotViewSchema,
  /** Something the guard did: a key cooled down, a breaker opened, a queue filled. */
  'guard.event': guardEventViewSchema,
  /** Providers, keys, combos or settings changed; lists should be fetched again. */
  'config.changed': z.strictObject({ at: z.number() }),
  ...accountEvents,
} as const satisfies Record<string, z.ZodType>;

export const apiContract = channelTable;
export const apiEventContract = eventTable;

export type ApiChannel = keyof typeof channelTable;
export type ApiEvent = keyof typeof eventTable;

/** Every channel name, for generating preload methods and IPC handlers. */
export const apiChannels = Object.keys(channelTable) as ApiChannel[];
export const apiEvents = Object.keys(eventTable) as ApiEvent[];

/** What a caller passes (defaults may be left out). */
export type ApiArgs<C extends ApiChannel> = z.input<(typeof channelTable)[C]['args']>;
/** Arguments after validation (defaults filled in), as the control service receives them. */
export type ApiParsedArgs<C extends ApiChannel> = z.output<(typeof channelTable)[C]['args']>;
export type ApiResult<C extends ApiChannel> = z.output<(typeof channelTable)[C]['result']>;
export type ApiEventPayload<E extends ApiEvent> = z.output<(typeof eventTable)[E]>;

export const apiErrorCodes = [
  'invalid_arguments',
  'unknown_channel',
  'not_found',
  'conflict',
  'read_only',
  'unauthorized',
  'unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const apiErrorSchema = z.strictObject({
  code: z.enum(apiErrorCodes),
  message: z.string(),
  /** For invalid_arguments: each problem with the path of the field it concerns. */
  issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** What every call answers, on both transports: the result, or an error a person can act on. */
export type ApiResponse<C extends ApiChannel> = { ok: true; result: ApiResult<C> } | { ok: false; error: ApiError };

/** `window.switchyard` in the desktop app, exposed by the preload. */
export interface SwitchyardBridge {
  invoke<C extends ApiChannel>(channel: C, args: ApiArgs<C>): Promise<ApiResponse<C>>;
  /** Listens to one event; returns the function that stops listening. */
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

export const bridgeGlobalName = 'switchyard';
export const ipcChannelPrefix = 'switchyard:';
/** IPC channel of pushed events; the message is `{ event, payload }`. */
export const ipcEventChannel = 'switchyard:event';

export function isApiChannel(name: unknown): name is ApiChannel {
  return typeof name === 'string' && Object.hasOwn(channelTable, name);
}

export function isApiEvent(name: unknown): name is ApiEvent {
  return typeof name === 'string' && Object.hasOwn(eventTable, name);
}

export function ipcChannelOf(channel: ApiChannel): string {
  return `${ipcChannelPrefix}${channel}`;
}

/** The HTTP route of a channel in web mode: `providers.add` -> POST /api/providers/add. */
export function httpRouteOf(channel: ApiChannel): { method: 'GET' | 'POST'; path: string } {
  return { method: channelTable[channel].method, path: `/api/${channel.replaceAll('.', '/')}` };
}

export const httpEventsPath = '/api/events';

/** `keys[0].secret` from a zod path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? String(part) : `.${String(part)}`;
  return text;
}

function invalid(channel: string, what: 'arguments' | 'result', error: z.ZodError): ApiError {
  const issues = error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
  const summary = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  return {
    code: what === 'arguments' ? 'invalid_arguments' : 'internal',
    message: what === 'arguments' ? `${channel}: ${summary}` : `${channel} produced an invalid result (${summary})`,
    issues,
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Validates a call's arguments. Used by main on every call and by the renderer before sending. */
export function checkArgs<C extends ApiChannel>(channel: C, raw: unknown): Checked<ApiParsedArgs<C>> {
  if (!isApiChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: `There is no API channel "${String(channel)}".` } };
  const parsed = channelTable[channel].args.safeParse(raw ?? {});
  return parsed.success ? { ok: true, value: parsed.data as ApiParsedArgs<C> } : { ok: false, error: invalid(channel, 'arguments', parsed.error) };
}

export function checkResult<C extends ApiChannel>(channel: C, raw: unknown): Checked<ApiResult<C>> {
  const parsed = channelTable[channel].result.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data as ApiResult<C> } : { ok: false, error: invalid(channel, 'result', parsed.error) };
}

export function checkEvent<E extends ApiEvent>(event: E, raw: unknown): Checked<ApiEventPayload<E>> {
  if (!isApiEvent(event)) return { ok: false, error: { code: 'unknown_channel', message: `There is no API event "${String(event)}".` } };
  const parsed = eventTable[event].safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data as ApiEventPayload<E> } : { ok: false, error: invalid(event, 'result', parsed.error) };
}

export * from './api-contract-views.ts';
export * from './api-contract-accounts.ts';
export * from './api-contract-clients.ts';
