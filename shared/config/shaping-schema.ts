import { z } from 'zod';

// Request shaping: opt-in edits to a client's request before it goes to a target (docs/routing.md "Shaping").
// Set on a provider (applies to every request it serves) or on a combo (applies to requests routed through it).

export const effortLevels = ['low', 'medium', 'high'] as const;
export type EffortLevel = (typeof effortLevels)[number];

export const systemPromptSchema = z.strictObject({
  text: z.string().min(1).describe('Text added to the system prompt of every request.'),
  position: z.enum(['prepend', 'append']).default('prepend').describe('Before or after the system prompt the client sent.'),
});

export const effortBudgetsSchema = z.strictObject({
  low: z.number().int().min(1024).default(2048),
  medium: z.number().int().min(1024).default(8192),
  high: z.number().int().min(1024).default(24576),
});

export const thinkingShapingSchema = z.strictObject({
  mode: z
    .enum(['passthrough', 'fixed', 'effort'])
    .default('passthrough')
    .describe('passthrough: leave thinking as the client asked. fixed: every request that asks for thinking gets `budgetTokens`. effort: it gets the effort level `effort` (a token budget from `effortBudgets` for APIs that take budgets).'),
  budgetTokens: z.number().int().min(1024).optional().describe('Thinking budget for mode "fixed". OpenAI-format requests get the nearest effort level.'),
  effort: z.enum(effortLevels).optional().describe('Effort level for mode "effort".'),
  effortBudgets: effortBudgetsSchema.optional().describe('Token budget of each effort level, for Anthropic and Gemini requests (defaults 2048 / 8192 / 24576).'),
});

export const modelClampSchema = z.strictObject({
  model: z.string().min(1).describe('Upstream model name this clamp applies to; `*` matches any run of characters (e.g. "deepseek-*").'),
  maxOutputTokens: z.number().int().min(1).optional().describe("The model's output limit: larger max_tokens / max_output_tokens / maxOutputTokens values are lowered to it."),
  maxTemperature: z.number().min(0).optional().describe('Highest temperature the model accepts; larger values are lowered to it.'),
});

export const shapingSchema = z.strictObject({
  systemPrompt: systemPromptSchema.optional(),
  thinking: thinkingShapingSchema.optional(),
  clamps: z.array(modelClampSchema).default([]).describe('Model-specific parameter limits, first matching entry wins.'),
});

export type ShapingConfig = z.infer<typeof shapingSchema>;
export type ThinkingShapingConfig = z.infer<typeof thinkingShapingSchema>;
export type ModelClampConfig = z.infer<typeof modelClampSchema>;

/** Claude Code's housekeeping requests Switchyard can answer itself (docs/clients.md "Claude Code's side requests"). */
export const claudeCodeSideRequests = ['title', 'warmup'] as const;
export type ClaudeCodeSideRequest = (typeof claudeCodeSideRequests)[number];

export const claudeCodeShapingSchema = z.strictObject({
  answerLocally: z
    .array(z.enum(claudeCodeSideRequests))
    .default([])
    .refine((kinds) => new Set(kinds).size === kinds.length, 'Name each side request once.')
    .describe(
      'Claude Code side requests answered by Switchyard without a provider call, recognised by their exact shape: "title" (the session-title request) and "warmup" (a sub-agent warm-up). Off (empty) by default.',
    ),
});

/** Shaping that applies before routing, to every request (the per-provider and per-combo rules are `shaping` there). */
export const engineShapingSchema = z.strictObject({
  claudeCode: claudeCodeShapingSchema.optional(),
});

export type EngineShapingConfig = z.infer<typeof engineShapingSchema>;
