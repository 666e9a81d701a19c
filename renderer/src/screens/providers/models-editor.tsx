import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ProviderView } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Field } from '../../components/field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { modelNames } from './field-errors.ts';

export function ModelsEditor({ provider, readOnly, onChanged }: { provider: ProviderView; readOnly: boolean; onChanged(): void }) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const save = useAction(async (models: string[]) => {
    await api.call('providers.update', { id: provider.id, models });
    setEditing(false);
    onChanged();
  });

  if (editing) {
    const submit = (event: FormEvent) => {
      event.preventDefault();
      void save.run(modelNames(text));
    };
    return (
      <form className="inline-form" onSubmit={submit}>
        <Field label="Models" hint="Separate names with commas." error={save.error?.message}>
          <input autoFocus spellCheck={false} value={text} onChange={(event) => setText(event.target.value)} />
        </Field>
        <div className="form-actions">
          <Button onClick={() => setEditing(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            Save models
          </Button>
        </div>
      </form>
    );
  }
  return (
    <div className="models-line">
      <span className="models-label">Models</span>
      {provider.models.length === 0 ? (
        <span className="muted">None listed. Tools can still ask for any model by name.</span>
      ) : (
        <ul className="chips">
          {provider.models.map((model) => (
            <li key={model} className="chip mono">
              {model}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <Button
          size="small"
          variant="ghost"
          onClick={() => {
            setText(provider.models.join(', '));
            setEditing(true);
          }}
        >
          Edit
        </Button>
      )}
    </div>
  );
}
