import { useState } from 'react';
import type { ComboView } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { PlusIcon, RouteIcon, TrashIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import { useToast } from '../../components/toasts.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useChannel } from '../../hooks/use-channel.ts';
import type { Route } from '../../hooks/use-hash-route.ts';
import { ComboEditor } from './combo-editor.tsx';
import { strategyWords } from './strategy-words.ts';

export function CombosScreen({ onNavigate }: { onNavigate(route: Route): void }) {
  const api = useApi();
  const toast = useToast();
  const combos = useChannel('combos.list');
  const providers = useChannel('providers.list');
  const status = useChannel('status');
  const [editing, setEditing] = useState<ComboView | 'new' | undefined>();
  const [removing, setRemoving] = useState<ComboView>();
  const readOnly = status.data && !status.data.settings.writable ? status.data.settings.readOnlyReason : null;

  const activate = useAction(async (name: string | null) => {
    combos.setData(await api.call('combos.activate', { name }));
    toast(name ? `“${name}” is now the active combo.` : 'No combo is active now.');
  });
  const remove = useAction(async (name: string) => {
    combos.setData(await api.call('combos.remove', { name }));
    setRemoving(undefined);
    toast(`Removed “${name}”.`);
  });

  const noProviders = providers.data?.providers.length === 0;
  const newButton = (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing('new')} disabled={Boolean(readOnly) || noProviders}>
      New combo
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Combos"
        description="A combo is a list of models tried in order: when the first is rate-limited or down, Switchyard moves on to the next. The active combo answers tools that ask for a plain model name."
        actions={combos.data?.combos.length ? newButton : undefined}
      />
      {readOnly && (
        <Notice tone="info">
          {readOnly} Switching the active combo here still works; it lasts until Switchyard restarts.
        </Notice>
      )}
      {activate.error && <Notice tone="bad">{activate.error.message}</Notice>}
      {combos.loading && <LoadingState rows={3} label="Loading combos" />}
      {!combos.loading && !combos.data && <ErrorState title="Combos could not be loaded" message={combos.error?.message ?? 'No answer.'} onRetry={combos.reload} />}
      {combos.data && combos.data.combos.length === 0 && (
        <section className="card">
          <EmptyState
            icon={<RouteIcon />}
            title="No combos yet"
            action={
              noProviders ? (
                <Button variant="primary" onClick={() => onNavigate('providers')}>
                  Add a provider first
                </Button>
              ) : (
                newButton
              )
            }
          >
            {noProviders ? 'A combo lists models of your providers, so add a provider first.' : 'Make one to choose which models your tools use, and what to fall back to.'}
          </EmptyState>
        </section>
      )}
      <ul className="combo-list">
        {combos.data?.combos.map((combo) => (
          <li key={combo.name} className={`card combo-card ${combo.active ? 'combo-active' : ''}`} data-testid={`combo-${combo.name}`}>
            <header className="combo-head">
              <div>
                <h2 className="combo-title">
                  {combo.name}
                  {combo.active && <StatusPill tone="good">Active</StatusPill>}
                </h2>
                <p className="muted small">{strategyWords[combo.strategy].short}</p>
              </div>
              <div className="combo-actions">
                {combo.active ? (
                  <Button size="small" variant="ghost" busy={activate.busy} onClick={() => void activate.run(null)}>
                    Turn off
                  </Button>
                ) : (
                  <Button size="small" variant="primary" busy={activate.busy} onClick={() => void activate.run(combo.name)}>
                    Make active
                  </Button>
                )}
                <Button size="small" disabled={Boolean(readOnly)} onClick={() => setEditing(combo)}>
                  Edit
                </Button>
                <Button size="small" variant="ghost" icon={<TrashIcon />} aria-label={`Remove ${combo.name}`} title={`Remove ${combo.name}`} disabled={Boolean(readOnly)} onClick={() => setRemoving(combo)} />
              </div>
            </header>
            <ol className="chain chain-wide" aria-label={`Targets of ${combo.name}, in order`}>
              {combo.targets.map((target) => (
                <li key={target} className="mono">
                  {target}
                  {combo.strategy === 'weighted' && <span className="muted small"> × {combo.weights[target] ?? 1}</span>}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
      {editing && combos.data && (
        <ComboEditor
          combo={editing === 'new' ? undefined : editing}
          combos={combos.data.combos}
          providers={providers.data?.providers ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={(list, name) => {
            combos.setData(list);
            setEditing(undefined);
            toast(`Saved “${name}”.`);
          }}
        />
      )}
      {removing && (
        <Dialog
          title={`Remove “${removing.name}”?`}
          onClose={() => setRemoving(undefined)}
          footer={
            <>
              <Button onClick={() => setRemoving(undefined)}>Keep it</Button>
              <Button variant="danger" busy={remove.busy} onClick={() => void remove.run(removing.name)}>
                Remove
              </Button>
            </>
          }
        >
          <p>{removing.active ? 'It is the active combo: tools asking for plain model names will get an error until you make another combo active.' : 'Tools that name this combo will get an error.'}</p>
          {remove.error && <Notice tone="bad">{remove.error.message}</Notice>}
        </Dialog>
      )}
    </>
  );
}
