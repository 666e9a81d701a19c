import { useCallback, useEffect, useState } from 'react';
import type { SetupWizardState } from '../../../../shared/api-contract.ts';
import { wizardStepIds } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { LoadingState, Notice } from '../../components/states.tsx';
import type { Route } from '../../hooks/use-hash-route.ts';
import { ComboStep } from './combo-step.tsx';
import { ConfigureStep } from './configure-step.tsx';
import { DoneStep } from './done-step.tsx';
import { ProviderStep } from './provider-step.tsx';
import { ToolsStep } from './tools-step.tsx';
import { freshWizard, stepAfter, stepBefore, stepTitles } from './wizard-steps.ts';

/**
 * The setup wizard: tools, provider, combo, configure, done. Every move (next, back, cancel) is saved in the settings
 * (setup.save), so closing the window or restarting resumes at the same step. Opened from a finished or cancelled
 * run it starts afresh at the tools step.
 */
export function SetupScreen({ onNavigate }: { onNavigate(route: Route): void }) {
  const api = useApi();
  const [state, setState] = useState<SetupWizardState>();
  const [saveProblem, setSaveProblem] = useState<string>();

  useEffect(() => {
    let current = true;
    api.call('setup.get', {}).then(
      (view) => current && setState(view.state?.outcome === 'open' ? view.state : freshWizard),
      () => current && setState(freshWizard),
    );
    return () => {
      current = false;
    };
  }, [api]);

  const save = useCallback(
    async (next: SetupWizardState) => {
      setState(next);
      try {
        await api.call('setup.save', { state: next });
        setSaveProblem(undefined);
      } catch (error) {
        // Read-only settings (serve --config): the wizard still works, it just cannot resume after a restart.
        setSaveProblem((error as Error).message);
      }
    },
    [api],
  );

  if (!state) return <LoadingState rows={3} label="Loading the setup" />;
  const index = wizardStepIds.indexOf(state.step);
  const next = (change: Partial<SetupWizardState>) => void save({ ...state, ...change, step: stepAfter(state.step) });
  const leave = async (outcome: 'cancelled' | 'finished') => {
    await save({ ...state, outcome });
    onNavigate('dashboard');
  };

  return (
    <>
      <PageHeader title="Set up Switchyard" description="From installed to your tools answering through Switchyard, in five steps." />
      <ol className="wizard-steps" aria-label="Setup steps">
        {wizardStepIds.map((step, position) => (
          <li key={step} className={position === index ? 'wizard-step-current' : position < index ? 'wizard-step-done' : ''} aria-current={position === index ? 'step' : undefined}>
            <span className="wizard-step-number">{position + 1}</span> {stepTitles[step]}
          </li>
        ))}
      </ol>
      <section className="card wizard-body" aria-labelledby="wizard-step-title">
        <h2 id="wizard-step-title">{stepTitles[state.step]}</h2>
        {saveProblem && <Notice tone="warn">Your progress cannot be saved ({saveProblem}); finish the setup in one go.</Notice>}
        {state.step === 'tools' && <ToolsStep state={state} onNext={next} />}
        {state.step === 'provider' && <ProviderStep state={state} onNext={next} />}
        {state.step === 'combo' && <ComboStep state={state} onNext={next} />}
        {state.step === 'configure' && <ConfigureStep state={state} onNext={next} />}
        {state.step === 'done' && <DoneStep state={state} onFinish={() => void leave('finished')} />}
        <div className="wizard-footer">
          {index > 0 && state.step !== 'done' && <Button onClick={() => void save({ ...state, step: stepBefore(state.step) })}>Back</Button>}
          {state.step !== 'done' && (
            <Button variant="ghost" onClick={() => void leave('cancelled')}>
              Cancel setup
            </Button>
          )}
        </div>
      </section>
    </>
  );
}
