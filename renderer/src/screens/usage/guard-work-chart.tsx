import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageSummaryView } from '../../../../shared/usage-views.ts';
import { guardWorkRows, guardWorkSeries, guardWorkTotals } from './insight-series.ts';
import { bucketLabel, formatCount } from './usage-series.ts';

/**
 * The guard's work: rate-limited answers from upstreams that it absorbed (retried on the same key, moved to
 * another key, fell back to the next combo target) stacked above the rate limits that reached a client (red).
 */
export function GuardWorkChart({ summary }: { summary: UsageSummaryView }) {
  const rows = guardWorkRows(summary);
  const { absorbed, reachedClient } = guardWorkTotals(summary.totals);
  const words = `${formatCount(absorbed)} absorbed · ${formatCount(reachedClient)} reached a client`;
  return (
    <figure className="card usage-chart" aria-labelledby="chart-guard-title" data-testid="chart-guard">
      <figcaption className="card-head">
        <h2 id="chart-guard-title" className="card-title">
          Rate limits: absorbed vs reached a client
        </h2>
        <span className="usage-chart-total" data-testid="chart-guard-total">
          {words}
        </span>
      </figcaption>
      <div
        className="usage-chart-plot"
        role="img"
        aria-label={`Rate limits in this range: ${formatCount(summary.totals.rateLimitsRetried)} retried on the key, ${formatCount(summary.totals.rateLimitsRotated)} on another key, ${formatCount(summary.totals.rateLimitsFellBack)} on the next combo target, ${formatCount(reachedClient)} reached a client`}
      >
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.12} />
            <XAxis dataKey="start" tickFormatter={(start: number) => bucketLabel(start, summary.bucket)} tick={{ fontSize: 11, fill: 'currentColor' }} stroke="currentColor" strokeOpacity={0.3} minTickGap={24} />
            <YAxis tickFormatter={(value: number) => formatCount(value)} tick={{ fontSize: 11, fill: 'currentColor' }} stroke="currentColor" strokeOpacity={0.3} width={56} allowDecimals={false} />
            <Tooltip
              formatter={(value) => formatCount(Number(value))}
              labelFormatter={(start) => new Date(Number(start)).toLocaleString()}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {guardWorkSeries.map((series) => (
              <Bar key={series.key} dataKey={series.key} name={series.label} stackId="guard" fill={series.colour} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {absorbed + reachedClient === 0 && <p className="muted small usage-chart-note">No rate-limited answers in this range.</p>}
    </figure>
  );
}
