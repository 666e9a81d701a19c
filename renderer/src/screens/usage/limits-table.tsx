import { MeterLine } from '../../components/quota-meter-line.tsx';
import type { CredentialRow } from './insight-series.ts';
import { allTokens, formatCount, formatUsd } from './usage-series.ts';

function cost(row: CredentialRow): string {
  const totals = row.usage?.totals;
  if (!totals) return '–';
  if (totals.includedRequests === totals.requests && totals.requests > 0) return 'included';
  return formatUsd(totals.costUsd);
}

/** Each key and signed-in account: its use in the range beside its limits and the vendor's quota, with forecasts. */
export function LimitsTable({ rows, now, rangeLabel }: { rows: CredentialRow[]; now: number; rangeLabel: string }) {
  return (
    <section className="card usage-wide" aria-labelledby="limits-title">
      <h2 id="limits-title" className="card-title">
        Keys and accounts against their limits
      </h2>
      {rows.length === 0 ? (
        <p className="muted">No key or account was used in the last {rangeLabel}, and none has a limit or a vendor quota to show.</p>
      ) : (
        <div className="table-wrap">
          <table className="table usage-table limits-table" data-testid="limits-table">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Key or account</th>
                <th scope="col" className="number">Requests ({rangeLabel})</th>
                <th scope="col" className="number">Tokens</th>
                <th scope="col" className="number">Cost</th>
                <th scope="col">Last used</th>
                <th scope="col">Limits and forecast</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-testid={`limits-${row.id}`}>
                  <td>{row.providerName}</td>
                  <th scope="row" className="mono">{row.name}</th>
                  <td className="number">{formatCount(row.usage?.totals.requests ?? 0)}</td>
                  <td className="number">{row.usage ? formatCount(allTokens(row.usage.totals)) : '0'}</td>
                  <td className="number">{cost(row)}</td>
                  <td className="small">{row.usage?.lastUsedAt ? new Date(row.usage.lastUsedAt).toLocaleString() : '–'}</td>
                  <td className="limits-cell">
                    {row.quota && row.quota.meters.length > 0 ? row.quota.meters.map((meter) => <MeterLine key={meter.name} who={row.quota!.label} meter={meter} now={now} />) : <span className="muted small">no limit configured</span>}
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
