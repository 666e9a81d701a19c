import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ConnectionTest, ProviderView } from '../../../../shared/api-contract.ts';
import type { AccountKind, ProviderType } from '../../../../shared/config/provider-schema.ts';
import { accountProviderTypes } from '../../../../shared/config/provider-schema.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Field } from '../../components/field.tsx';
import { Notice } from '../../components/states.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useChannel } from '../../hooks/use-channel.ts';
import { catalogEntry } from '../../provider-catalog.ts';
import { SignInDialog } from '../providers/accounts/sign-in-dialog.tsx';
import type { StepProps } from './wizard-steps.ts';

/** The kinds a pasted key alone is enough for (no address to type). */
const simpleKinds: ProviderType[] = ['anthropic', 'openai', 'gemini', 'openrouter'];

/** Which provider a pasted key belongs to, from its well-known prefix; undefined when it does not say. */
export function kindOfKey(key: string): ProviderType | undefined {
  const trimmed = key.trim();
  if (trimmed.startsWith('sk-ant-')) return 'anthropic';
  if (trimmed.startsWith('sk-or-')) return 'openrouter';
  if (trimmed.startsWith('AIza')) return 'gemini';
  if (trimmed.startsWith('sk-')) return 'openai';
  return undefined;
}

/**
 * Account sign-in (Copilot, ChatGPT) instead of a key: adds the provider without keys when there is none of that
 * kind yet, then opens the same sign-in dialog as the Providers screen (the vendor's terms first).
 */
function AccountSignIn({ existing, onSignedIn }: { existing: ProviderView[]; onSignedIn(providerId: string): void }) {
  const api = useApi();
  const [open, setOpen] = useState<{ providerId: string; kind: AccountKind; created: boolean }>();
  const start = useAction(async (kind: AccountKind) => {
    const entry = catalogEntry(kind);
    let providerId = existing.find((provider) => provider.type === kind)?.id;
    const created = providerId === undefined;
    if (!providerId) {
      const taken = new Set(existing.map((provider) => provider.id));
      providerId = entry.suggestedId;
      for (let number = 2; taken.has(providerId) && number < 100; number += 1) providerId = `${entry.suggestedId}-${number}`;
      await api.call('providers.add', { id: providerId, type: kind, models: entry.models, keys: [] });
    }
    setOpen({ providerId, kind, created });
  });
  return (
    <div className="wizard-alternative">
      <span className="muted small">Or use a subscription you already pay for:</span>
      {accountKinds.map((kind) => (
        <Button key={kind} busy={start.busy} onClick={() => void start.run(kind)}>
          Sign in with {catalogEntry(kind).label}
        </Button>
      ))}
      {start.error && <span className="field-error">{start.error.message}</span>}
      {open && (
        <SignInDialog
          providerId={open.providerId}
          kind={open.kind}
          onClose={() => {
            // Going back without an account leaves nothing behind: the provider made for this sign-in goes again.
            if (open.created) void api.call('providers.remove', { id: open.providerId }).catch(() => undefined);
            setOpen(undefined);
          }}
          onSignedIn={() => {
            setOpen(undefined);
            onSignedIn(open.providerId);
          }}
        />
      )}
    </div>
  );
}

const accountKinds: readonly AccountKind[] = accountProviderTypes;

/** Step (b): paste a key; it is added and checked at once with one tiny real request through Switchyard. */
export function ProviderStep({ state, onNext }: StepProps) {
  const api = useApi();
  const providers = useChannel('providers.list');
  const [kind, setKind] = useState<ProviderType>('anthropic');
  const [kindChosen, setKindChosen] = useState(false);
  const [key, setKey] = useState('');
  const [result, setResult] = useState<ConnectionTest>();
  const connect = useAction(async (type: ProviderType, secret: string) => {
    const entry = catalogEntry(type);
    const taken = new Set(providers.data?.providers.map((provider) => provider.id) ?? []);
    let id = entry.suggestedId;
    for (let number = 2; taken.has(id) && number < 100; number += 1) id = `${entry.suggestedId}-${number}`;
    await api.call('providers.add', { id, type, models: entry.models, keys: [{ secret }] });
    const test = await api.call('providers.test', { id });
    // A key that does not work is not kept: the person pastes the right one and tries again.
    if (!test.ok) await api.call('providers.remove', { id }).catch(() => undefined);
    // A working key is in the secret store now; it does not stay in the page.
    else setKey('');
    setResult(test);
    await providers.reload();
    return test;
  });

  const existing = providers.data?.providers ?? [];
  const connected = result?.ok ? result.providerId : (state.providerId ?? undefined);
  const pasted = (value: string) => {
    setKey(value);
    if (value) setResult(undefined);
    const guessed = kindOfKey(value);
    if (guessed && !kindChosen) setKind(guessed);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) await connect.run(kind, key.trim());
  };

  return (
    <div className="stack">
      <p>Switchyard sends your tools' requests to a provider. Paste an API key; it is checked at once with a tiny request.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <fieldset className="wizard-kinds">
          <legend>Provider</legend>
          {simpleKinds.map((type) => (
            <label key={type} className={`wizard-kind ${type === kind ? 'wizard-choice-selected' : ''}`}>
              <input type="radio" name="wizard-kind" checked={type === kind} onChange={() => { setKind(type); setKindChosen(true); }} />
              {catalogEntry(type).label}
            </label>
          ))}
        </fieldset>
        <Field label="API key" hint={<>{catalogEntry(kind).keyHint}. Kept in Switchyard's secret store; only its last four characters are ever shown.</>} error={connect.error?.message}>
          <input className="mono" type="password" autoComplete="off" spellCheck={false} value={key} onChange={(event) => pasted(event.target.value)} placeholder="Paste a key here" data-testid="wizard-key" />
        </Field>
        <div className="wizard-actions">
          <Button variant={result?.ok ? 'secondary' : 'primary'} type="submit" busy={connect.busy} disabled={!key.trim()}>
            Connect and test
          </Button>
        </div>
      </form>
      {result && (
        <Notice tone={result.ok ? 'info' : 'bad'} title={result.ok ? 'It works' : 'That key did not work'}>
          <span data-testid="wizard-provider-result">{result.message}</span>
          {!result.ok && ' The provider was not added; check the key and try again.'}
        </Notice>
      )}
      <AccountSignIn existing={existing} onSignedIn={(providerId) => { void providers.reload(); onNext({ providerId }); }} />
      {existing.length > 0 && !result?.ok && <p className="muted small">Already connected: {existing.map((provider) => provider.id).join(', ')}.</p>}
      <div className="wizard-actions">
        <Button variant="primary" disabled={!connected && existing.length === 0} onClick={() => onNext({ providerId: connected ?? existing[0]?.id ?? null })}>
          Next
        </Button>
      </div>
    </div>
  );
}
