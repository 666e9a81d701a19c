import type { UsageRequestView } from '../../../../shared/usage-views.ts';
import { StatusPill } from '../../components/status-pill.tsx';
import { formatCount, formatMs, formatUsd } from './usage-series.ts';

const outcomeTone = { ok: 'good', error: 'bad', aborted: 'warn', refused: 'neutral' } as const;

function cost(request: UsageRequestView): string {
  if (request.costBasis === 'included') return 'included';
  return request.costUsd === null ? 'unknown' : formatUsd(request.costUsd);
}

function credential(request: UsageRequestView): string {
  if (request.accountId) return `account ${request.accountId}`;
  return request.keyId ?? '–';
}

/** The latest requests, one line each: when, what was asked, where it went, how it ended, tokens and cost. */
export function RecentRequestsTable({ requests }: { requests: UsageRequestView[] }) {
  return (
    <section className="card" aria-labelledby="recent-requests-title">
      <h2 id="recent-requests-title" className="card-title">
        Recent requests
      </h2>
      <div className="table-wrap">
        <table className="table usage-table" data-testid="recent-requests">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Model asked</th>
              <th scope="col">Served by</th>
              <th scope="col">Key</th>
              <th scope="col">Outcome</th>
              <th scope="col" className="number">Input</th>
              <th scope="col" className="number">Output</th>
              <th scope="col" className="number">Cache read</th>
              <th scope="col" className="number">Duration</th>
              <th scope="col" className="number">Cost</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((request) => (
              <tr key={request.id} data-testid={`request-${request.id}`}>
                <td className="mono small">{new Date(request.startedAt).toLocaleTimeString()}</td>
                <td className="mono">{request.requestedModel || '–'}</td>
                <td className="mono">{request.provider ? `${request.provider}/${request.model ?? ''}` : '–'}</td>
                <td className="mono">{credential(request)}</td>
                <td>
                  <StatusPill tone={outcomeTone[request.outcome]}>{request.errorCode ? `${request.outcome}: ${request.errorCode}` : request.outcome}</StatusPill>
                </td>
                <td className="number">{formatCount(request.inputTokens)}{request.estimated ? ' ≈' : ''}</td>
                <td className="number">{formatCount(request.outputTokens)}</td>
                <td className="number">{formatCount(request.cacheReadTokens)}</td>
                <td className="number">{formatMs(request.durationMs)}</td>
                <td className="number">{cost(request)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
