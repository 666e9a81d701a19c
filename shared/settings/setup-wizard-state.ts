import { z } from 'zod';
import { configurableClientIds } from '../client-ids.ts';

/** Tools the wizard offers: the configurable ones plus "OpenAI-compatible apps", which are set up by hand. */
export const wizardToolIds = [...configurableClientIds, 'openai-compatible'] as const;
export type WizardToolId = (typeof wizardToolIds)[number];

/** The wizard's progress, kept in the settings so it resumes where it was left (also after a restart). */
export const wizardStepIds = ['tools', 'provider', 'combo', 'configure', 'done'] as const;
export type WizardStepId = (typeof wizardStepIds)[number];
export const setupWizardStateSchema = z.strictObject({
  step: z.enum(wizardStepIds),
  tools: z.array(z.enum(wizardToolIds)).max(wizardToolIds.length),
  /** The provider connected in step (b), if any. */
  providerId: z.string().max(64).nullable(),
  /** The combo chosen in step (c); null: skipped. */
  combo: z.string().max(64).nullable(),
  /** Tools configured by the wizard (so "done" can say what works and how to undo). */
  configured: z.array(z.enum(configurableClientIds)).max(configurableClientIds.length),
  /** "open": in progress; "cancelled": closed before the end (not shown again by itself); "finished". */
  outcome: z.enum(['open', 'cancelled', 'finished']),
});
export type SetupWizardState = z.infer<typeof setupWizardStateSchema>;

