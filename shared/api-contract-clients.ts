import { z } from 'zod';
import { connectionTestSchema } from './api-contract-views.ts';
import { configurableClientIds } from './client-ids.ts';
import { setupWizardStateSchema } from './settings/setup-wizard-state.ts';

/**
 * The channels of the setup wizard and of client configuration (issue 13): which tools are installed and where they
 * point, the change configure would make (as before/after text for a diff), configure, a test request in each tool's
 * own API format, undo, the per-tool client keys, and the wizard's saved progress. Merged into the contract's channel
 * table in one line (api-contract.ts); the engine side is main/core/control/clients-handlers.ts.
 *
 * No view carries a whole client key, except `clientKeys.create`'s `secret`: the one moment a new key is shown.
 * Texts of a tool's files in `clients.plan` have every key in them masked to its last four characters.
 */

export * from './client-ids.ts';
export * from './settings/setup-wizard-state.ts';

const clientIdSchema = z.enum(configurableClientIds, { error: 'name one of claude-code, codex, gemini-cli' });

export const namedClientKeyViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  created: z.string(),
  last4: z.string().max(4),
});

export const clientStatusViewSchema = z.strictObject({
  client: clientIdSchema,
  displayName: z.string(),
  installed: z.boolean(),
  /** Full path of the tool's command when it is on PATH. */
  executable: z.string().nullable(),
  files: z.array(z.string()),
  /** null: the files could not be read (see `problem`). */
  pointsAt: z.enum(['switchyard', 'vendor', 'elsewhere']).nullable(),
  baseUrl: z.string().nullable(),
  key: z.enum(['valid', 'not-accepted', 'none']),
  keyName: z.string().nullable(),
  backedUp: z.boolean(),
  interrupted: z.boolean(),
  warnings: z.array(z.string()),
  problem: z.string().nullable(),
});

export const clientStatusListSchema = z.strictObject({
  /** The Switchyard origin tools are pointed at. */
  origin: z.string(),
  /** Whose tool settings are read and written. */
  home: z.string(),
  clients: z.array(clientStatusViewSchema),
});

export const clientPlanViewSchema = z.strictObject({
  client: clientIdSchema,
  changed: z.boolean(),
  keyAction: z.enum(['reuse', 'create']),
  files: z.array(
    z.strictObject({
      path: z.string(),
      /** null: the file does not exist yet (configure creates it). */
      before: z.string().nullable(),
      after: z.string(),
      changed: z.boolean(),
    }),
  ),
  warnings: z.array(z.string()),
});

export const clientConfigureResultSchema = z.strictObject({
  client: clientIdSchema,
  changed: z.boolean(),
  key: namedClientKeyViewSchema,
  keyCreated: z.boolean(),
  /** Files written (created or changed). */
  written: z.array(z.string()),
  backupFolder: z.string(),
  warnings: z.array(z.string()),
  status: clientStatusViewSchema,
});

export const clientUndoResultSchema = z.strictObject({
  client: clientIdSchema,
  /** false: there was no backup, so nothing was done. */
  undone: z.boolean(),
  restored: z.array(z.string()),
  removed: z.array(z.string()),
  changedSince: z.array(z.strictObject({ path: z.string(), keptAt: z.string() })),
  revokedKeys: z.array(namedClientKeyViewSchema),
  status: clientStatusViewSchema,
});

export const clientTestResultSchema = connectionTestSchema.extend({
  client: clientIdSchema,
  /** The API the tool speaks, which the test request used. */
  format: z.enum(['anthropic', 'openai-responses', 'gemini']),
  /** The model the request named. */
  requested: z.string(),
});

export const setupWizardViewSchema = z.strictObject({
  /** null: the wizard was never opened. */
  state: setupWizardStateSchema.nullable(),
  /** True when the wizard should open by itself: no provider yet and the wizard was not cancelled or finished. */
  firstRun: z.boolean(),
});

const noArgs = z.strictObject({});
const clientArgs = z.strictObject({ client: clientIdSchema });

export const clientChannels = {
  /** Every configurable tool: installed or not, where it points, whether its key works, backups. */
  'clients.status': { method: 'GET', args: noArgs, result: clientStatusListSchema },
  /** The change configure would make, per file before and after (keys masked). Writes nothing, makes no key. */
  'clients.plan': { method: 'POST', args: clientArgs, result: clientPlanViewSchema },
  /** Points the tool at Switchyard with a key of its own, after a byte-exact backup. Again: changes nothing. */
  'clients.configure': { method: 'POST', args: clientArgs, result: clientConfigureResultSchema },
  /** One tiny request in the tool's own API format with the tool's own key, as the tool would send it. */
  'clients.test': { method: 'POST', args: z.strictObject({ client: clientIdSchema, model: z.string().trim().min(1).max(200).optional() }), result: clientTestResultSchema },
  /** Restores the tool's files exactly as they were and revokes its key. */
  'clients.undo': { method: 'POST', args: clientArgs, result: clientUndoResultSchema },

  'clientKeys.list': { method: 'GET', args: noArgs, result: z.strictObject({ keys: z.array(namedClientKeyViewSchema) }) },
  /** A new named client key (for an app set up by hand). Its secret is in this answer only, never again. */
  'clientKeys.create': {
    method: 'POST',
    args: z.strictObject({ name: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'a name is 1 to 64 letters, digits, spaces, dots, dashes or underscores') }),
    result: z.strictObject({ key: namedClientKeyViewSchema, secret: z.string().min(16) }),
  },
  /** Revokes a key by id, or every key of a name; refused from the next request on. */
  'clientKeys.revoke': {
    method: 'POST',
    args: z.strictObject({ idOrName: z.string().trim().min(1, 'name the key to revoke') }),
    result: z.strictObject({ revoked: z.array(namedClientKeyViewSchema), keys: z.array(namedClientKeyViewSchema) }),
  },

  'setup.get': { method: 'GET', args: noArgs, result: setupWizardViewSchema },
  /** Saves the wizard's progress (each step, back, cancel). */
  'setup.save': { method: 'POST', args: z.strictObject({ state: setupWizardStateSchema }), result: setupWizardViewSchema },
} as const satisfies Record<string, { method: 'GET' | 'POST'; args: z.ZodType; result: z.ZodType }>;

export type ClientStatusList = z.infer<typeof clientStatusListSchema>;
export type ClientStatusView = z.infer<typeof clientStatusViewSchema>;
export type ClientPlanView = z.infer<typeof clientPlanViewSchema>;
export type ClientTestResult = z.infer<typeof clientTestResultSchema>;
export type NamedClientKeyView = z.infer<typeof namedClientKeyViewSchema>;
