import { z } from 'zod';
import { accountProviderTypes } from './config/provider-schema.ts';

// The API channels and events of signed-in accounts (docs/accounts.md): the risk text shown before a sign-in, the
// sign-in flow (start, wait, cancel, paste the redirect URL), the stored accounts. Merged into the contract table
// (shared/api-contract.ts) as is. Nothing here carries a token: every object is strict, so a stray field fails the
// result check instead of reaching the renderer.

export const accountStates = ['ready', 'sign-in-again'] as const;

/** One usage window of a subscription: Codex's 5-hour and weekly windows, Copilot's monthly premium requests. */
export const quotaWindowViewSchema = z.strictObject({
  name: z.string(),
  usedPercent: z.number(),
  resetAt: z.number().nullable(),
  remaining: z.number().nullable(),
  entitlement: z.number().nullable(),
  unlimited: z.boolean(),
});

export const accountQuotaViewSchema = z.strictObject({
  windows: z.array(quotaWindowViewSchema),
  /** Set while the account has no quota left: the guard does not pick it until then. */
  exhaustedUntil: z.number().nullable(),
  readAt: z.number(),
});

/** What a key view (provider card, guard snapshot) adds when the credential is a signed-in account. */
export const accountFactsSchema = z.strictObject({
  /** The login or e-mail. */
  login: z.string(),
  plan: z.string().nullable(),
  /** gemini-cli: the Google Cloud project the account's requests go to (entered or discovered at sign-in). */
  project: z.string().optional(),
  state: z.enum(accountStates),
  /** Why it must sign in again. */
  stateReason: z.string().nullable(),
  quota: accountQuotaViewSchema.nullable(),
});

export const accountViewSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(accountProviderTypes),
  providerId: z.string(),
  ...accountFactsSchema.shape,
  addedAt: z.string(),
  updatedAt: z.string(),
});

export const accountListSchema = z.strictObject({ accounts: z.array(accountViewSchema) });

export const accountRiskViewSchema = z.strictObject({
  kind: z.enum(accountProviderTypes),
  product: z.string(),
  paragraphs: z.array(z.string()),
  question: z.string(),
  /** Subscriptions deliberately not offered, and why. */
  notOffered: z.array(z.strictObject({ product: z.string(), reason: z.string() })),
  /**
   * With a providerId: what stops that provider's sign-in before it starts (gemini-cli without oauth.clientSecret),
   * said next to the terms; null when nothing does.
   */
  blocker: z.strictObject({ title: z.string(), message: z.string() }).nullable(),
});

/** What the person must do: open a page and enter a code (device), or open a sign-in URL (browser). */
export const signInPromptViewSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('device'), verificationUrl: z.string(), userCode: z.string(), expiresAt: z.number() }),
  /** gemini-cli without a browser here: open the page on any device and paste the code it shows. */
  z.strictObject({ kind: z.literal('code'), url: z.string(), pasteHint: z.string(), expiresAt: z.number() }),
  z.strictObject({
    kind: z.literal('browser'),
    url: z.string(),
    /** False when no callback listener could start: the person pastes the redirect URL. */
    listening: z.boolean(),
    redirectUri: z.string(),
    pasteHint: z.string(),
    sshHint: z.string(),
    expiresAt: z.number(),
  }),
]);

/** Where a sign-in stands. `pending` only from `accounts.signIn.wait` when it gave up waiting before the flow ended. */
export const signInOutcomeSchema = z.discriminatedUnion('state', [
  z.strictObject({ flowId: z.string(), state: z.literal('pending') }),
  z.strictObject({ flowId: z.string(), state: z.literal('signed-in'), account: accountViewSchema, updated: z.boolean() }),
  z.strictObject({ flowId: z.string(), state: z.literal('failed'), failure: z.string(), message: z.string() }),
]);

const flowArgs = z.strictObject({ flowId: z.string().min(1) });

export const accountChannels = {
  /** What the vendor's terms say and what can happen to the account: shown, and confirmed, before any sign-in. */
  'accounts.risk': { method: 'POST', args: z.strictObject({ kind: z.enum(accountProviderTypes), providerId: z.string().min(1).optional() }), result: accountRiskViewSchema },
  /**
   * Starts a sign-in for an account of a copilot / codex / kiro / gemini-cli provider. `device` is the sign-in for a
   * machine without a browser: Codex's device code, gemini-cli's paste-the-code page (Copilot and Kiro always use a
   * device code). Answers at once with the prompt to show.
   */
  'accounts.signIn.start': {
    method: 'POST',
    args: z.strictObject({
      providerId: z.string().min(1),
      device: z.boolean().optional(),
      /** Kiro: an AWS IAM Identity Center start URL and its region instead of AWS Builder ID. */
      startUrl: z.string().trim().max(2048).optional(),
      region: z.string().trim().max(64).optional(),
      /** gemini-cli: the Google Cloud project (discovered when absent). */
      project: z.string().trim().max(200).optional(),
    }),
    result: z.strictObject({ flowId: z.string(), providerId: z.string(), prompt: signInPromptViewSchema }),
  },
  /** Waits for the flow to end, at most `waitMs` (default 20 s, so no proxy cuts the call): call again on `pending`. */
  'accounts.signIn.wait': {
    method: 'POST',
    args: z.strictObject({ flowId: z.string().min(1), waitMs: z.int().min(0).max(60_000).default(20_000) }),
    result: signInOutcomeSchema,
  },
  /** Ends a running sign-in; nothing is stored. */
  'accounts.signIn.cancel': { method: 'POST', args: flowArgs, result: z.strictObject({ cancelled: z.boolean() }) },
  /**
   * The paste-the-redirect-URL fallback of the browser flow; the `state` in it is checked like the callback's. For a
   * `code` prompt (gemini-cli without a browser) `url` is the code Google showed.
   */
  'accounts.signIn.submitRedirect': {
    method: 'POST',
    args: z.strictObject({ flowId: z.string().min(1), url: z.string().trim().min(1, 'paste the address the browser ended on').max(8192) }),
    result: z.strictObject({ accepted: z.boolean() }),
  },
  'accounts.list': { method: 'GET', args: z.strictObject({}), result: accountListSchema },
  /** Removes an account: its tokens from the secret store and its record. */
  'accounts.remove': { method: 'POST', args: z.strictObject({ accountId: z.string().min(1) }), result: accountListSchema },
} as const;

export const accountEvents = {
  /** A sign-in ended (signed in, or failed with a reason); the dialog also learns it from `accounts.signIn.wait`. */
  'accounts.signIn': signInOutcomeSchema,
  /** The vendor refused an account's grant: it must sign in again (the tray turns amber, a notification says so). */
  'accounts.needsSignIn': z.strictObject({ accountId: z.string(), providerId: z.string(), label: z.string(), reason: z.string() }),
} as const;

export type AccountView = z.infer<typeof accountViewSchema>;
export type AccountFacts = z.infer<typeof accountFactsSchema>;
export type AccountRiskView = z.infer<typeof accountRiskViewSchema>;
export type SignInPromptView = z.infer<typeof signInPromptViewSchema>;
export type SignInOutcome = z.infer<typeof signInOutcomeSchema>;
export type AccountChannel = keyof typeof accountChannels;
