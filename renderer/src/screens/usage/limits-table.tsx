import type { QuotaMeterView } from '../../../../shared/quota-views.ts';
import { amountWords, forecastSentence } from '../../../../shared/quota-words.ts';
import { StatusPill } from '../../components/status-pill.tsx';
import type { CredentialRow } from './insight-series.ts';
import { allTokens, formatCount, formatUsd } from './usage-series.ts';

const stateTone = { ok: 'good', soon: 'warn', out: 'bad' } as const;
const stateWords = { ok: 'ok', soon: 'runs out soon', out: 'used up' } as const;

function cost(row: CredentialRow): string {
  const totals = row.usage?.totals;
  if (!totals) return '–';
  if (totals.includedRequests === totals.requests && totals.requests > 0) return 'included';
  return formatUsd(totals.costUsd);
}

/** One limit or quota: a bar, the amount, where the figure comes from, and the forecast in words. */
export function MeterLine({ who, meter, now }: { who: string; meter: QuotaMeterView; now: number }) {
  const sentence = forecastSentence(who, meter, now);
  return (
    <div className="limit-line" data-testid="limit-line">
      <div className="limit-head">
        <span className="limit-name">{meter.name}</span>
        <span className="muted small">{meter.source === 'vendor' ? "vendor's figure" : 'configured limit'}</span>
        <StatusPill tone={stateTone[meter.state]}>{stateWords[meter.state]}</StatusPill>
      </div>
      <meter className="limit-bar" min={0} max={meter.limit} low={meter.limit * 0.7} high={meter.limit * 0.9} optimum={0} value={Math.min(meter.used, meter.limit)} aria-label={`${meter.name}: ${amountWords(meter)}`} />
      <div className="small">
        {amountWords(meter)}
        {meter.ratePerHour !== null && <span className="muted"> · {meter.unit === 'percent' ? `${meter.ratePerHour.toFixed(1)}%` : formatCount(Math.round(meter.ratePerHour))} an hour lately</span>}
      </div>
      <div className="small limit-forecast" data-testid="limit-forecast">{sentence}</div>
    </div>
  );
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
