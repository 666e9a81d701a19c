import { z } from 'zod';
import { shapingSchema } from './shaping-schema.ts';

// Routing: how the model name a client sends becomes an ordered list of provider/model targets
// (docs/routing.md). A *target expression* is one of
//   provider-id/model     that provider and model ("*" in the model part: the requested model, if it matches);
//   provider-id           that provider with the requested model (a combo used by name: the provider's first model);
//   */model               every enabled provider that serves `model`, in config order;
//   a combo name          the combo's targets, in its strategy's order;
//   an alias              what the alias names.

/** A combo target: a target expression, optionally weighted and limited to some of the provider's keys. */
export const comboTargetSchema = z.union([
  z.string().min(1),
  z.strictObject({
    target: z.string().min(1).describe('A target expression: provider-id/model, provider-id, */model, a combo or an alias.'),
    weight: z.number().min(0).optional().describe('Share of traffic for the weighted strategy (default 1).'),
    keys: z.array(z.string().min(1)).min(1).optional().describe("Only these key ids of the target's provider may serve it."),
  }),
]);

export const comboStrategies = ['fallback', 'round-robin', 'weighted'] as const;

export const comboSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-"').describe('What clients put in the model field to use this combo.'),
  targets: z.array(comboTargetSchema).min(1).describe('Ordered targets.'),
  strategy: z
    .enum(comboStrategies)
    .default('fallback')
    .describe('fallback: in order, the next target only when one is out. round-robin: the first target rotates per request. weighted: the first target is drawn by weight. In every strategy the remaining targets stay as fallbacks.'),
  shaping: shapingSchema.optional().describe('Request shaping for requests routed through this combo.'),
});

/** Alias table: exact names or `*` patterns -> target expressions; `*` in the value takes what `*` matched in the name. */
export const aliasesSchema = z
  .record(z.string().min(1), z.string().min(1))
  .describe('Model names clients may use, e.g. {"sonnet": "anthropic/claude-sonnet-4-5", "gpt-*": "openai/gpt-*"}. Exact names win over patterns; patterns are tried in the order written.');

const scenarioTarget = z.string().min(1).describe('A target expression (provider-id/model, a combo, an alias).');

/** Rules for Claude Code-style clients, which send every kind of request to one base URL. */
export const scenariosSchema = z.strictObject({
  longContext: z
    .strictObject({
      target: scenarioTarget,
      thresholdTokens: z.number().int().min(1).default(60_000).describe('Requests estimated above this many input tokens use `target`.'),
    })
    .optional()
    .describe('Requests with a long input.'),
  webSearch: z.strictObject({ target: scenarioTarget }).optional().describe('Requests that carry a web-search tool (Anthropic web_search_*, OpenAI web_search, Gemini googleSearch).'),
  background: z
    .strictObject({
      target: scenarioTarget,
      models: z.array(z.string().min(1)).default(['*haiku*']).describe('Requested model names (`*` patterns) that mark a background request; Claude Code uses its small fast model for these.'),
    })
    .optional()
    .describe('Background / small-model requests (titles, summaries, quick checks).'),
  thinking: z.strictObject({ target: scenarioTarget }).optional().describe('Requests that ask for extended thinking / reasoning.'),
});

export type ComboConfig = z.infer<typeof comboSchema>;
export type ComboTarget = z.infer<typeof comboTargetSchema>;
export type ComboStrategy = (typeof comboStrategies)[number];
export type AliasesConfig = z.infer<typeof aliasesSchema>;
export type ScenariosConfig = z.infer<typeof scenariosSchema>;
export type ScenarioName = keyof ScenariosConfig;
