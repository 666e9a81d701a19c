import { z } from 'zod';
import { secretRefSchema } from './secret-ref-schema.ts';
import { keyGuardFields, providerGuardFields } from './guard-schema.ts';

export const providerTypes = [
  'anthropic',
  'openai',
  'gemini',
  'openai-compatible',
  'anthropic-compatible',
  'openrouter',
  'ollama',
] as const;
export type ProviderType = (typeof providerTypes)[number];

/** Ids appear in model names (`provider-id/model`), so they cannot contain a slash. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-", starting with a letter or digit');

export const providerKeySchema = z.strictObject({
  id: idSchema.describe('Stable id of the key within its provider (shown in logs and the dashboard, with the last 4 characters).'),
  secret: secretRefSchema.describe('The key: {"env": "NAME"}, {"keychain": "id"} or an inline string.'),
  label: z.string().optional().describe('A name for people, e.g. "personal" or "team account".'),
  enabled: z.boolean().default(true).describe('A disabled key is never used.'),
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
  ...providerGuardFields,
});

export type ProviderKeyConfig = z.infer<typeof providerKeySchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
