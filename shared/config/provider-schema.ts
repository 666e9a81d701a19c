import { z } from 'zod';
import { secretRefSchema } from './secret-ref-schema.ts';
import { keyGuardFields, providerGuardFields } from './guard-schema.ts';
import { proxySchema, timeoutsSchema } from './network-schema.ts';
import { shapingSchema } from './shaping-schema.ts';

export const providerTypes = [
  'anthropic',
  'openai',
  'gemini',
  'openai-compatible',
  'anthropic-compatible',
  'openrouter',
  'ollama',
  'copilot',
  'codex',
  'kiro',
  'gemini-cli',
] as const;
export type ProviderType = (typeof providerTypes)[number];

/** Provider types whose credentials are signed-in subscription accounts instead of API keys (docs/accounts.md). */
export const accountProviderTypes = ['copilot', 'codex', 'kiro', 'gemini-cli'] as const satisfies readonly ProviderType[];
export type AccountKind = (typeof accountProviderTypes)[number];

export function isAccountProviderType(type: ProviderType): type is AccountKind {
  return (accountProviderTypes as readonly string[]).includes(type);
}

/**
 * Vendors with OpenAI- and Anthropic-compatible endpoints, for `openai-compatible` / `anthropic-compatible`
 * providers: a preset fills the base URL, auth header and a default model list (docs/providers.md "Presets").
 * `-cn` / `-intl` pick the mainland China or the international host.
 */
export const providerPresets = ['deepseek', 'glm', 'glm-intl', 'kimi', 'kimi-cn', 'minimax', 'minimax-cn'] as const;
export type ProviderPreset = (typeof providerPresets)[number];

/** Ids appear in model names (`provider-id/model`), so they cannot contain a slash. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-", starting with a letter or digit');

export const providerKeySchema = z.strictObject({
  id: idSchema.describe('Stable id of the key within its provider (shown in logs and the dashboard, with the last 4 characters).'),
  secret: secretRefSchema.describe('The key: {"env": "NAME"}, {"keychain": "id"} or an inline string.'),
  label: z.string().optional().describe('A name for people, e.g. "personal" or "team account".'),
  enabled: z.boolean().default(true).describe('A disabled key is never used.'),
  proxy: proxySchema.optional().describe("Proxy for this key's traffic; overrides the provider's `proxy`."),
  ...keyGuardFields,
});

export const providerSchema = z.strictObject({
  id: idSchema.describe('The name clients use in `provider-id/model`.'),
  type: z.enum(providerTypes).describe('The upstream kind; decides wire format, auth header and error parsing.'),
  name: z.string().optional().describe('Display name.'),
  baseUrl: z.url({ protocol: /^https?$/ }).optional().describe("Overrides the type's default base URL."),
  enabled: z.boolean().default(true).describe('A disabled provider serves nothing and is skipped in combos.'),
  keys: z.array(providerKeySchema).default([]).describe('API keys, tried per the key strategy.'),
  models: z.array(z.string().min(1)).default([]).describe('Models this provider serves (listed at GET /v1/models).'),
  headers: z.record(z.string(), z.string()).optional().describe('Extra headers sent upstream with every request.'),
  preset: z.enum(providerPresets).optional().describe('openai-compatible / anthropic-compatible only: a known vendor whose base URL, auth header and default models are filled in.'),
  auth: z.enum(['x-api-key', 'bearer']).optional().describe('anthropic-compatible only: send the key as x-api-key (Anthropic default) or Authorization: Bearer.'),
  fetchModels: z.boolean().optional().describe('Ask the provider for its model list (cached 10 min) and list those at GET /v1/models, besides `models`. Default true.'),
  proxy: proxySchema.optional().describe("Proxy for this provider's traffic; overrides `network.proxy` and the environment."),
  timeouts: timeoutsSchema.optional().describe('Upstream timeouts for this provider; fields left out come from `network.timeouts`.'),
  shaping: shapingSchema.optional().describe('Request shaping for every request this provider serves (system prompt, thinking budget, parameter clamps).'),
  attribution: z
    .strictObject({
      url: z.string().optional().describe('Your app URL, sent as HTTP-Referer.'),
      title: z.string().optional().describe('Your app name, sent as X-OpenRouter-Title (and the older X-Title).'),
      categories: z.array(z.string()).optional().describe('Sent as X-OpenRouter-Categories.'),
    })
    .optional()
    .describe('openrouter only: app attribution headers (openrouter.ai/docs/features/app-attribution).'),
  openaiApi: z
    .enum(['chat', 'responses'])
    .optional()
    .describe('openai / openai-compatible: which OpenAI API the upstream is spoken to in. chat (default) is the widest supported. responses keeps reasoning items with encrypted_content across turns (e.g. gpt-5 and codex models): for openai, clients of other formats are translated to Responses while Chat and Responses clients still pass through; for openai-compatible it means the host speaks Responses only, so Chat clients are translated too.'),
  ollama: z
    .strictObject({
      api: z.enum(['openai', 'native']).default('openai').describe('openai: the OpenAI-compatible /v1 API (byte-for-byte passthrough). native: /api/chat with NDJSON streaming, converted to and from OpenAI Chat by Switchyard.'),
      numCtx: z.number().int().min(256).optional().describe('native only: context window to load the model with (options.num_ctx); Ollama\'s own default is small.'),
      keepAlive: z.union([z.string(), z.number()]).optional().describe('native only: how long Ollama keeps the model loaded after a request (keep_alive), e.g. "30m".'),
    })
    .optional()
    .describe('ollama only: which Ollama API to use.'),
  oauth: z
    .strictObject({
      clientId: z.string().min(1).optional().describe("The OAuth client id used to sign in. Default: the vendor's own public client (copilot: the Copilot editor plugin's, codex: the Codex CLI's, gemini-cli: the Gemini CLI's installed-app client). kiro registers a public client at run time and ignores it."),
      clientSecret: secretRefSchema.optional().describe('gemini-cli only, needed to sign in: the OAuth client\'s secret — the installed-app secret Gemini CLI publishes (packages/core/src/code_assist/oauth2.ts; Switchyard does not ship it), or your own client\'s with clientId. Read like a key: {"env": "NAME"} or {"keychain": "id"}.'),
      startUrl: z.url({ protocol: /^https$/ }).optional().describe('kiro only: the AWS IAM Identity Center start URL sign-ins use when none is given (default: the AWS Builder ID start URL https://view.awsapps.com/start).'),
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1').optional().describe('kiro only: the AWS region of the IAM Identity Center instance (default us-east-1).'),
    })
    .optional()
    .describe('copilot / codex / kiro / gemini-cli only: how accounts of this provider sign in (docs/accounts.md).'),
  ...providerGuardFields,
});

export type ProviderKeyConfig = z.infer<typeof providerKeySchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
