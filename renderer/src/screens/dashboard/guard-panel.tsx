import type { GuardSnapshotView } from '../../../../shared/api-contract.ts';
import { LoadingState, Notice } from '../../components/states.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import { keyTone, keyWords, until } from '../describe.ts';

/** The guard's live state per provider: load, queue, breaker, and each key's state. */
export function GuardPanel({ snapshot, error }: { snapshot: GuardSnapshotView | undefined; error?: string }) {
  return (
    <section className="card" aria-labelledby="guard-title">
      <div className="card-head">
        <h2 id="guard-title" className="card-title">
          Live traffic
        </h2>
        {snapshot && (
          <span className="muted small" data-testid="guard-updated">
            {snapshot.sharedState?.mode === 'shared' && `Shared with ${snapshot.sharedState.instances} instance${snapshot.sharedState.instances === 1 ? '' : 's'} · `}
            Updated {new Date(snapshot.takenAt).toLocaleTimeString()}
          </span>
        )}
      </div>
      {snapshot?.sharedState?.warning && <Notice tone="warn">{snapshot.sharedState.warning}</Notice>}
      {error && !snapshot && <Notice tone="bad">{error}</Notice>}
      {!snapshot && !error && <LoadingState rows={2} />}
      {snapshot && snapshot.providers.length === 0 && <p className="muted">Switchyard is not serving any provider right now.</p>}
      {snapshot && snapshot.providers.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="guard-table">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col" className="number">In flight</th>
                <th scope="col" className="number">Waiting</th>
                <th scope="col" className="number">Requests</th>
                <th scope="col" className="number">Errors</th>
                <th scope="col" className="number">Rate-limited</th>
                <th scope="col" className="number">Median latency</th>
                <th scope="col">Keys</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.providers.map((provider) => (
                <tr key={provider.id}>
                  <th scope="row">
                    <span className="mono">{provider.id}</span>
                    {provider.breaker !== 'closed' && (
                      <StatusPill tone={provider.breaker === 'open' ? 'bad' : 'warn'} title={provider.breaker === 'open' ? `Paused ${until(provider.breakerOpenUntil) ?? ''}` : 'Trying again'}>
                        {provider.breaker === 'open' ? 'Paused' : 'Recovering'}
                      </StatusPill>
                    )}
                  </th>
                  <td className="number">{provider.inFlight}</td>
                  <td className="number">{provider.queueDepth}</td>
                  <td className="number">{provider.requests}</td>
                  <td className="number">{provider.errors}</td>
                  <td className="number">{provider.rateLimited}</td>
                  <td className="number">{provider.latencyP50Ms === null ? '—' : `${Math.round(provider.latencyP50Ms)} ms`}</td>
                  <td>
                    <ul className="key-chips">
                      {provider.keys.map((key) => (
                        <li key={key.id}>
                          <StatusPill tone={keyTone(key.state)} title={[keyWords(key.state), key.reason, until(key.until)].filter(Boolean).join(' · ')}>
                            {key.id}
                            {key.last4 && <span className="mono faint"> …{key.last4}</span>}
                          </StatusPill>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
