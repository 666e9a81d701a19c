import type { RecentClientView } from '../../../../shared/api-contract-network.ts';
import { Button } from '../../components/button.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { useChannel } from '../../hooks/use-channel.ts';
import { plural } from '../describe.ts';

/** "just now", "42 s ago", "3 min ago", "at 14:05" for a past time. */
function ago(timestamp: number, now: number): string {
  const ms = now - timestamp;
  if (ms < 5_000) return 'just now';
  if (ms < 90_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  return `at ${new Date(timestamp).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })}`;
}

/** The refusals of one address in words, most telling first; empty when there were none. */
function refusedWords(refused: RecentClientView['refused']): string[] {
  const words: string[] = [];
  if (refused.allowlist > 0) words.push(`${refused.allowlist} not on the allowed list`);
  if (refused.badKey > 0) words.push(`${plural(refused.badKey, 'wrong key')}${refused.throttled > 0 ? ` (${refused.throttled} slowed down)` : ''}`);
  if (refused.tooManyConnections > 0) words.push(`${refused.tooManyConnections} over the connection limit`);
  return words;
}

/**
 * Settings > Who connected recently: every address that reached Switchyard lately, with the key it used (by name,
 * never the key), how much it asked and what was refused. Refreshed with the live guard snapshot, every few seconds.
 */
export function RecentClientsCard() {
  const recent = useChannel('network.recentClients', { reloadOn: ['guard.snapshot', 'config.changed'], minIntervalMs: 3_000 });
  const now = Date.now();
  return (
    <section className="card settings-card recent-clients-card" aria-labelledby="recent-clients-title">
      <div className="card-head">
        <h2 className="card-title" id="recent-clients-title">
          Who connected recently
        </h2>
        <Button size="small" onClick={() => void recent.reload()}>
          Refresh
        </Button>
      </div>
      {recent.loading ? (
        <LoadingState rows={2} label="Loading recent clients" />
      ) : !recent.data ? (
        <ErrorState title="The list could not be loaded" message={recent.error?.message ?? 'No answer.'} onRetry={recent.reload} />
      ) : (
        <>
          <p className="muted small">
            {recent.data.sharedOnNetwork
              ? recent.data.allowedClients.length > 0
                ? `Shared on your network; only ${recent.data.allowedClients.join(', ')} may connect.`
                : 'Shared on your network: any device that reaches this computer may connect; it still needs the client key.'
              : 'Only this computer can connect.'}{' '}
            The last {recent.data.capacity} addresses are kept, until Switchyard restarts.
          </p>
          {recent.data.clients.length === 0 ? (
            <EmptyState title="Nobody yet">Tools that connect show up here, with the key they used.</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table recent-clients-table">
                <thead>
                  <tr>
                    <th scope="col">Address</th>
                    <th scope="col">Identified by</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">First seen</th>
                    <th scope="col">Requests</th>
                    <th scope="col">Refused</th>
                  </tr>
                </thead>
                <tbody>
                  {recent.data.clients.map((client) => {
                    const refused = refusedWords(client.refused);
                    return (
                      <tr key={client.address}>
                        <th scope="row" className="mono">
                          {client.address}
                        </th>
                        <td>{client.keyLabels.length > 0 ? client.keyLabels.join(', ') : <span className="muted">no valid key</span>}</td>
                        <td className="recent-when">{ago(client.lastSeen, now)}</td>
                        <td className="recent-when">{ago(client.firstSeen, now)}</td>
                        <td>{client.requests}</td>
                        <td className={refused.length > 0 ? 'recent-refused' : 'muted'}>{refused.length > 0 ? refused.join('; ') : 'none'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
