import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ComboList, ComboView, ProviderView } from '../../../../shared/api-contract.ts';
import { comboStrategies } from '../../../../shared/config/routing-schema.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button, IconButton } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { Field } from '../../components/field.tsx';
import { ArrowDownIcon, ArrowUpIcon, CloseIcon, PlusIcon } from '../../components/icons.tsx';
import { Notice } from '../../components/states.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { fieldErrors } from '../providers/field-errors.ts';
import { strategyWords } from './strategy-words.ts';
import type { WeightDrafts } from './target-weights.ts';
import { draftsOf, shareOf, weightsToSave } from './target-weights.ts';

function move<T>(items: T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/**
 * Create or edit a combo: a name, a strategy, and targets in order (move them with the arrow buttons). With the
 * weighted strategy each target gets a weight field and shows its share of first picks.
 */
export function ComboEditor({ combo, combos, providers, onClose, onSaved }: { combo?: ComboView; combos: ComboView[]; providers: ProviderView[]; onClose(): void; onSaved(list: ComboList, name: string): void }) {
  const api = useApi();
  const [name, setName] = useState(combo?.name ?? '');
  const [strategy, setStrategy] = useState<ComboView['strategy']>(combo?.strategy ?? 'fallback');
  const [targets, setTargets] = useState<string[]>(combo?.targets ?? []);
  const [weights, setWeights] = useState<WeightDrafts>(draftsOf(combo?.weights ?? {}));
  const weighted = strategy === 'weighted';
  const [choice, setChoice] = useState('');
  const [custom, setCustom] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [localError, setLocalError] = useState<string>();
  const strategyGroup = useId();
  const save = useAction(async (chosen: Record<string, number> | undefined) => {
    const list = await api.call('combos.save', { name: name.trim(), targets, strategy, ...(chosen ? { weights: chosen } : {}), ...(combo ? { previousName: combo.name } : {}) });
    onSaved(list, name.trim());
  });

  const options = [
    ...providers.flatMap((provider) => provider.models.map((model) => ({ value: `${provider.id}/${model}`, group: provider.id }))),
    ...combos.filter((candidate) => candidate.name !== combo?.name).map((candidate) => ({ value: candidate.name, group: 'Other combos' })),
  ].filter((option) => !targets.includes(option.value));
  const groups = [...new Set(options.map((option) => option.group))];

  const addTarget = (value: string) => {
    const target = value.trim();
    if (!target) return;
    if (targets.includes(target)) {
      setLocalError(`“${target}” is already in the list.`);
      return;
    }
    setLocalError(undefined);
    setTargets([...targets, target]);
    setAnnouncement(`Added ${target} as number ${targets.length + 1}.`);
  };

  const shift = (index: number, by: -1 | 1) => {
    const next = move(targets, index, index + by);
    setTargets(next);
    setAnnouncement(`${targets[index]} is now number ${index + by + 1}.`);
    // Keep focus on the same arrow of the moved row so repeated presses keep moving it.
    requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-move="${index + by}-${by}"]`)?.focus());
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (targets.length === 0) {
      setLocalError('Add at least one target.');
      return;
    }
    // Weights only matter to the weighted strategy; other strategies keep whatever was saved.
    const chosen = weighted ? weightsToSave(targets, weights) : undefined;
    if (chosen && 'invalid' in chosen) {
      setLocalError(`The weight of “${chosen.invalid}” must be a number of 0 or more.`);
      return;
    }
    setLocalError(undefined);
    void save.run(chosen?.weights);
  };

  const errors = fieldErrors(save.error);
  const generalError = localError ?? (save.error && save.error.issues.length === 0 ? save.error.message : errors.targets);

  return (
    <Dialog
      wide
      title={combo ? `Edit “${combo.name}”` : 'New combo'}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="combo-form" variant="primary" busy={save.busy}>
            Save combo
          </Button>
        </>
      }
    >
      <form id="combo-form" className="stack" onSubmit={submit} noValidate>
        <Field label="Name" hint="Tools can ask for this name as their model." error={errors.name}>
          <input value={name} spellCheck={false} autoComplete="off" onChange={(event) => setName(event.target.value)} placeholder="e.g. everyday" />
        </Field>

        <fieldset>
          <legend>How to use the targets</legend>
          <div className="strategy-options">
            {comboStrategies.map((value) => (
              <label key={value} className={`method-option ${strategy === value ? 'method-selected' : ''}`}>
                <input type="radio" name={strategyGroup} value={value} checked={strategy === value} onChange={() => setStrategy(value)} />
                <span>
                  <strong>{strategyWords[value].label}</strong>
                  <span className="muted small"> — {strategyWords[value].long}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>Targets, in order</legend>
          {targets.length === 0 ? (
            <p className="muted">No targets yet. Add the model to try first.</p>
          ) : (
            <ol className="target-list">
              {targets.map((target, index) => (
                <li key={target}>
                  <span className="target-number" aria-hidden="true">
                    {index + 1}
                  </span>
                  <span className="mono target-name">{target}</span>
                  {weighted && (
                    <label className="target-weight">
                      <span className="muted small">Weight</span>
                      <input
                        type="number"
                        min={0}
                        step="any"
                        inputMode="decimal"
                        value={weights[target] ?? ''}
                        placeholder="1"
                        aria-label={`Weight of ${target}`}
                        data-testid={`weight-${target}`}
                        onChange={(event) => {
                          setWeights({ ...weights, [target]: event.target.value });
                          setLocalError(undefined);
                        }}
                      />
                      <span className="muted small target-share" aria-label={`Share of ${target}`}>
                        {shareOf(target, targets, weights)}
                      </span>
                    </label>
                  )}
                  <IconButton size="small" label={`Move ${target} up`} icon={<ArrowUpIcon />} disabled={index === 0} data-move={`${index}--1`} onClick={() => shift(index, -1)} />
                  <IconButton size="small" label={`Move ${target} down`} icon={<ArrowDownIcon />} disabled={index === targets.length - 1} data-move={`${index}-1`} onClick={() => shift(index, 1)} />
                  <IconButton
                    size="small"
                    label={`Remove ${target}`}
                    icon={<CloseIcon />}
                    onClick={() => {
                      setTargets(targets.filter((_item, position) => position !== index));
                      setAnnouncement(`Removed ${target}.`);
                    }}
                  />
                </li>
              ))}
            </ol>
          )}
          <div className="add-target">
            <label className="grow">
              <span className="visually-hidden">Model to add</span>
              <select value={choice} onChange={(event) => setChoice(event.target.value)} data-testid="target-select">
                <option value="">Choose a model…</option>
                {groups.map((group) => (
                  <optgroup key={group} label={group}>
                    {options
                      .filter((option) => option.group === group)
                      .map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.value}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            </label>
            <Button
              icon={<PlusIcon />}
              disabled={!choice}
              onClick={() => {
                addTarget(choice);
                setChoice('');
              }}
            >
              Add
            </Button>
          </div>
          <div className="add-target">
            <label className="grow">
              <span className="visually-hidden">Or type a target</span>
              <input value={custom} spellCheck={false} placeholder="Or type provider/model" onChange={(event) => setCustom(event.target.value)} onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  addTarget(custom);
                  setCustom('');
                }
              }} />
            </label>
            <Button
              disabled={!custom.trim()}
              onClick={() => {
                addTarget(custom);
                setCustom('');
              }}
            >
              Add
            </Button>
          </div>
          <p className="visually-hidden" aria-live="polite">
            {announcement}
          </p>
        </fieldset>
        {generalError && <Notice tone="bad">{generalError}</Notice>}
      </form>
    </Dialog>
  );
}
