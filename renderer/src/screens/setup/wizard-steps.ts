import type { SetupWizardState, WizardStepId } from '../../../../shared/api-contract.ts';
import { wizardStepIds } from '../../../../shared/api-contract.ts';

export const stepTitles: Record<WizardStepId, string> = {
  tools: 'Your tools',
  provider: 'Connect a provider',
  combo: 'Starting combo',
  configure: 'Configure your tools',
  done: 'Done',
};

export const freshWizard: SetupWizardState = { step: 'tools', tools: [], providerId: null, combo: null, configured: [], outcome: 'open' };

export function stepAfter(step: WizardStepId): WizardStepId {
  return wizardStepIds[Math.min(wizardStepIds.indexOf(step) + 1, wizardStepIds.length - 1)]!;
}

export function stepBefore(step: WizardStepId): WizardStepId {
  return wizardStepIds[Math.max(wizardStepIds.indexOf(step) - 1, 0)]!;
}

/** What each step hands to the wizard: its part of the saved state, or nothing (the step is not ready). */
export interface StepProps {
  state: SetupWizardState;
  /** Saves the change and moves to the next step. */
  onNext(change: Partial<SetupWizardState>): void;
}
