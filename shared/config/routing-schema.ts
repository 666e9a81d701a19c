import { z } from 'zod';

/** A combo target: `provider-id/model`, `provider-id` alone (keep the requested model name), or another combo. */
export const comboTargetSchema = z.union([
  z.string().min(1),
  z.strictObject({ target: z.string().min(1), weight: z.number().min(0).optional() }),
]);

export const comboStrategies = ['fallback', 'round-robin', 'weighted'] as const;

export const comboSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-"').describe('What clients put in the model field to use this combo.'),
  targets: z.array(comboTargetSchema).min(1).describe('Ordered targets.'),
  strategy: z.enum(comboStrategies).default('fallback').describe('fallback: next target only when one is out; round-robin / weighted: spread the load.'),
});

export type ComboConfig = z.infer<typeof comboSchema>;
export type ComboTarget = z.infer<typeof comboTargetSchema>;
