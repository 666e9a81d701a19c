import type { RequestLogEntrySummary } from '../../../../shared/request-log-views.ts';
import { StatusPill } from '../../components/status-pill.tsx';
import { formatSize } from './request-log-words.ts';

const tone = (status: number) => (status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'good');

/** The entries, newest first; picking one (click, or Enter/Space on its row button) shows it below. */
export function EntryList({ entries, selectedId, onSelect }: { entries: RequestLogEntrySummary[]; selectedId: number | undefined; onSelect(id: number): void }) {
  return (
    <section className="card" aria-labelledby="request-log-entries-title">
      <h2 id="request-log-entries-title" className="card-title">
        Entries
      </h2>
      <div className="table-wrap request-log-list">
        <table className="table" data-testid="request-log-entries">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request</th>
              <th scope="col">Model asked</th>
              <th scope="col">Served by</th>
              <th scope="col">Status</th>
              <th scope="col" className="number">Size</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} className={entry.id === selectedId ? 'request-log-selected' : undefined} aria-selected={entry.id === selectedId}>
                <td className="mono small">
                  <button type="button" className="link-button" onClick={() => onSelect(entry.id)} aria-label={`Show entry ${entry.id}`}>
                    {new Date(entry.startedAt).toLocaleTimeString()}
                  </button>
                </td>
                <td className="mono small">{`${entry.method} ${entry.path}`}</td>
                <td className="mono">{entry.requestedModel || '–'}</td>
                <td className="mono">{entry.provider ? `${entry.provider}${entry.upstreamFormat ? ` · ${entry.upstreamFormat}` : ''}` : 'none (refused)'}</td>
                <td>
                  <StatusPill tone={tone(entry.status)}>{`${entry.status}${entry.stream ? ' · stream' : ''}`}</StatusPill>
                </td>
                <td className="number">{formatSize(entry.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
