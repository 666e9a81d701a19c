import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ProviderView } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Field } from '../../components/field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { catalogEntry } from '../../provider-catalog.ts';
import { fieldErrors, lines } from './field-errors.ts';

export function AddKeysForm({ provider, onCancel, onAdded }: { provider: ProviderView; onCancel(): void; onAdded(count: number): void }) {
  const api = useApi();
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const add = useAction((secrets: string[]) => api.call('keys.add', { providerId: provider.id, keys: secrets.map((secret) => ({ secret })) }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const secrets = lines(text);
    setEmpty(secrets.length === 0);
    if (secrets.length === 0) return;
    if (await add.run(secrets)) onAdded(secrets.length);
  };

  const errors = fieldErrors(add.error);
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <Field label="Paste keys, one per line" hint={`${catalogEntry(provider.type).keyHint}. Only the last four characters are shown afterwards.`} error={empty ? 'Paste at least one key.' : (errors.keys ?? add.error?.message)}>
        <textarea className="mono" rows={2} autoFocus spellCheck={false} autoComplete="off" value={text} onChange={(event) => setText(event.target.value)} />
      </Field>
      <div className="form-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={add.busy}>
          Add keys
        </Button>
      </div>
    </form>
  );
}
