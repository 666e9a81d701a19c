import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { LoadingState, Notice } from '../../components/states.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useChannel } from '../../hooks/use-channel.ts';
import { startingCombos } from './starting-combos.ts';
import type { StepProps } from './wizard-steps.ts';

/** Step (c): a starting combo, so the bare model names tools send (claude-sonnet-4-5 ...) have somewhere to go. */
export function ComboStep({ state, onNext }: StepProps) {
  const api = useApi();
  const providers = useChannel('providers.list', { reloadOn: [] });
  const suggestions = startingCombos(providers.data?.providers ?? []);
  const [chosen, setChosen] = useState<string | undefined>(state.combo ?? undefined);
  const picked = chosen ?? suggestions[0]?.name;
  const apply = useAction(async (name: string) => {
    const combo = suggestions.find((candidate) => candidate.name === name);
    if (!combo) return;
    await api.call('combos.save', { name: combo.name, targets: combo.targets, strategy: 'fallback' });
    await api.call('combos.activate', { name: combo.name });
    onNext({ combo: combo.name });
  });

  if (providers.loading) return <LoadingState rows={2} label="Loading your providers" />;
  return (
    <div className="stack">
      <p>A combo decides which model answers when a tool asks for a model by its own name. Pick one to start with; you can change it any time on the Combos screen.</p>
      {suggestions.length === 0 && <Notice tone="info">No provider with a model is connected yet, so there is nothing to combine. Skip this step.</Notice>}
      <ul className="wizard-choices" aria-label="Starting combos">
        {suggestions.map((combo) => (
          <li key={combo.name}>
            <label className={`wizard-choice ${picked === combo.name ? 'wizard-choice-selected' : ''}`}>
              <input type="radio" name="wizard-combo" checked={picked === combo.name} onChange={() => setChosen(combo.name)} />
              <span>
                <strong>{combo.title}</strong>
                <span className="muted small"> — {combo.description}</span>
                <span className="mono small wizard-targets">{combo.targets.join(' → ')}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {apply.error && <Notice tone="bad">{apply.error.message}</Notice>}
      <div className="wizard-actions">
        <Button onClick={() => onNext({ combo: null })}>Skip</Button>
        {picked && (
          <Button variant="primary" busy={apply.busy} onClick={() => void apply.run(picked)}>
            Use this combo
          </Button>
        )}
      </div>
    </div>
  );
}
