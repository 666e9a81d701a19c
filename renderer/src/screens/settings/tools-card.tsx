import type { ClientStatusView } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Notice } from '../../components/states.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import type { Tone } from '../../components/status-pill.tsx';
import { useToast } from '../../components/toasts.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useChannel } from '../../hooks/use-channel.ts';

function pointsAtWords(client: ClientStatusView): { tone: Tone; words: string } {
  if (client.problem) return { tone: 'bad', words: 'Settings unreadable' };
  if (client.pointsAt === 'switchyard') return client.key === 'valid' ? { tone: 'good', words: 'Uses Switchyard' } : { tone: 'warn', words: 'Uses Switchyard, key refused' };
  if (client.pointsAt === 'vendor') return { tone: 'neutral', words: 'Uses its vendor' };
  return { tone: 'neutral', words: 'Points elsewhere' };
}

/** Settings → Tools: where each tool points, undo per tool, the per-tool client keys (last four only) and revoke. */
export function ToolsCard({ onSetUp }: { onSetUp(): void }) {
  const api = useApi();
  const toast = useToast();
  const clients = useChannel('clients.status');
  const keys = useChannel('clientKeys.list');
  const undo = useAction(async (client: ClientStatusView) => {
    const result = await api.call('clients.undo', { client: client.client });
    await Promise.all([clients.reload(), keys.reload()]);
    toast(result.undone ? `${client.displayName}'s settings are back as they were.` : `Nothing to undo for ${client.displayName}.`);
  });
  const revoke = useAction(async (id: string) => {
    keys.setData({ keys: (await api.call('clientKeys.revoke', { idOrName: id })).keys });
    await clients.reload();
  });

  return (
    <section className="card settings-card stack" aria-labelledby="tools-title">
      <div className="card-header">
        <h2 id="tools-title">Tools</h2>
        <Button variant="primary" size="small" onClick={onSetUp}>Set up a tool…</Button>
      </div>
      {clients.error && <Notice tone="bad">{clients.error.message}</Notice>}
      <ul className="stack tools-list">
        {clients.data?.clients.map((client) => {
          const where = pointsAtWords(client);
          return (
            <li key={client.client} className="tools-row" data-testid={`tool-${client.client}`}>
              <strong>{client.displayName}</strong>
              <StatusPill tone={where.tone}>{where.words}</StatusPill>
              <span className="muted small">{client.installed ? 'installed' : 'not found on this computer'}</span>
              {client.backedUp && (
                <Button size="small" busy={undo.busy} onClick={() => void undo.run(client)}>
                  Undo
                </Button>
              )}
              {client.problem && <span className="small">{client.problem}</span>}
            </li>
          );
        })}
      </ul>
      {undo.error && <Notice tone="bad">{undo.error.message}</Notice>}
      <h3>Client keys</h3>
      {keys.data?.keys.length === 0 && <p className="muted small">No per-tool keys yet. Configuring a tool makes one for it.</p>}
      <ul className="stack tools-list">
        {keys.data?.keys.map((key) => (
          <li key={key.id} className="tools-row">
            <strong>{key.name}</strong>
            <span className="mono small">…{key.last4}</span>
            <span className="muted small">made {new Date(key.created).toLocaleString()}</span>
            <Button size="small" variant="danger" busy={revoke.busy} onClick={() => void revoke.run(key.id)}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
      {revoke.error && <Notice tone="bad">{revoke.error.message}</Notice>}
    </section>
  );
}
