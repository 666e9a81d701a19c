import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ProviderType } from '../../../../shared/config/provider-schema.ts';
import type { ApiArgs, ProviderView } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { Field } from '../../components/field.tsx';
import { Notice } from '../../components/states.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { catalogEntry, providerCatalog } from '../../provider-catalog.ts';
import { fieldErrors, lines, modelNames } from './field-errors.ts';
import { SignInWarning } from './sign-in-warning.tsx';

function freeId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let number = 2; number < 1000; number += 1) if (!taken.has(`${base}-${number}`)) return `${base}-${number}`;
  return `${base}-${Date.now()}`;
}

/** Add a provider: pick the kind, paste keys (or, for Copilot and ChatGPT, sign in next), name it, done. */
export function AddProviderDialog({ existing, secretStore, onClose, onAdded }: { existing: ProviderView[]; secretStore: string; onClose(): void; onAdded(provider: ProviderView): void }) {
  const api = useApi();
  const taken = new Set(existing.map((provider) => provider.id));
  const [type, setType] = useState<ProviderType>('anthropic');
  const entry = catalogEntry(type);
  const [id, setId] = useState(() => freeId(entry.suggestedId, taken));
  const [idTouched, setIdTouched] = useState(false);
  const [keys, setKeys] = useState('');
  const [models, setModels] = useState(entry.models.join(', '));
  const [baseUrl, setBaseUrl] = useState('');
  const [showMore, setShowMore] = useState(false);
  const [localError, setLocalError] = useState<Record<string, string>>({});
  const add = useAction((args: ApiArgs<'providers.add'>) => api.call('providers.add', args));
  const typeGroup = useId();

  const chooseType = (next: ProviderType) => {
    setType(next);
    const nextEntry = catalogEntry(next);
    if (!idTouched) setId(freeId(nextEntry.suggestedId, taken));
    setModels(nextEntry.models.join(', '));
    if (nextEntry.needsBaseUrl) setShowMore(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const pasted = lines(keys);
    const problems: Record<string, string> = {};
    if (pasted.length === 0 && !entry.keyOptional && !entry.signIn) problems.keys = 'Paste at least one API key.';
    if (entry.needsBaseUrl && !baseUrl.trim()) problems.baseUrl = 'This kind of provider needs its address.';
    setLocalError(problems);
    if (Object.keys(problems).length > 0) return;
    const added = await add.run({
      id: id.trim(),
      type,
      models: modelNames(models),
      keys: entry.signIn ? [] : pasted.map((secret) => ({ secret })),
      ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
    });
    if (added) onAdded(added);
  };

  const errors = { ...fieldErrors(add.error), ...localError };
  const generalError = add.error && add.error.issues.length === 0 ? add.error.message : undefined;

  return (
    <Dialog
      wide
      title="Add a provider"
      description="Switchyard sends your AI tools' requests to the providers you add here."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="add-provider-form" busy={add.busy}>
            {entry.signIn ? 'Add and sign in' : 'Add provider'}
          </Button>
        </>
      }
    >
      <form id="add-provider-form" className="stack" onSubmit={submit} noValidate>
        <fieldset className="type-picker">
          <legend>What kind of provider?</legend>
          <div className="type-grid">
            {providerCatalog.map((candidate) => (
              <label key={candidate.type} className={`type-option ${candidate.type === type ? 'type-selected' : ''}`}>
                <input type="radio" name={typeGroup} value={candidate.type} checked={candidate.type === type} onChange={() => chooseType(candidate.type)} />
                <span className="type-label">{candidate.label}</span>
                <span className="type-blurb">{candidate.blurb}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="method-picker">
          <legend>How Switchyard signs in</legend>
          {entry.signIn ? (
            <label className="method-option method-selected">
              <input type="radio" name={`${typeGroup}-method`} value="account" checked readOnly />
              <span>
                <strong>Sign in with your {entry.label} account</strong>
                <span className="muted small"> — no key. Next, Switchyard shows what the vendor’s terms say, then a code or page to sign in; the tokens stay in the {secretStore}.</span>
              </span>
            </label>
          ) : (
            <>
              <label className="method-option method-selected">
                <input type="radio" name={`${typeGroup}-method`} value="api-key" checked readOnly />
                <span>
                  <strong>API key</strong>
                  <span className="muted small"> — recommended. Stored in the {secretStore}; Switchyard only ever shows its last four characters.</span>
                </span>
              </label>
              <SignInWarning />
            </>
          )}
        </fieldset>

        {!entry.signIn && (
          <Field
            label={entry.keyOptional ? 'API keys' : 'API keys, one per line'}
            optional={entry.keyOptional}
            hint={
              <>
                {entry.keyHint}.{entry.keysUrl && <> Create one at <span className="mono">{entry.keysUrl}</span>.</>} Several keys share the load and stand in for each other when one is rate-limited.
              </>
            }
            error={errors.keys}
          >
            <textarea className="mono" rows={3} spellCheck={false} autoComplete="off" value={keys} onChange={(event) => setKeys(event.target.value)} placeholder={entry.keyOptional ? '' : 'Paste a key here'} data-testid="keys-input" />
          </Field>
        )}

        <div className="two-columns">
          <Field label="Name" hint={<>Tools ask for a model as <code>{id || 'name'}/model</code>.</>} error={errors.id}>
            <input
              value={id}
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => {
                setIdTouched(true);
                setId(event.target.value);
              }}
            />
          </Field>
          <Field label="Models" hint="Separate names with commas. Used for tests and model lists." error={errors.models}>
            <input value={models} spellCheck={false} onChange={(event) => setModels(event.target.value)} />
          </Field>
        </div>

        {!showMore && !entry.needsBaseUrl ? (
          <Button variant="ghost" size="small" onClick={() => setShowMore(true)}>
            More options
          </Button>
        ) : (
          <Field label="Address (base URL)" optional={!entry.needsBaseUrl} hint={entry.needsBaseUrl ? 'The API address from the service’s documentation.' : 'Leave empty to use the provider’s usual address.'} error={errors.baseUrl}>
            <input type="url" spellCheck={false} value={baseUrl} placeholder={entry.baseUrlPlaceholder ?? ''} onChange={(event) => setBaseUrl(event.target.value)} />
          </Field>
        )}
        {generalError && <Notice tone="bad">{generalError}</Notice>}
      </form>
    </Dialog>
  );
}
