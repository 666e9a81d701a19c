import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageSummaryView, UsageTotals } from '../../../../shared/usage-views.ts';
import { bucketLabel, chartRows, formatCount, seriesColours } from './usage-series.ts';

/**
 * One stacked bar chart over time: a bar per bucket, a colour per provider or model. The figure is also given as
 * text (the caption), so the chart is not the only way to read it.
 */
export function UsageChart({ id, title, summary, pick, format = formatCount }: { id: string; title: string; summary: UsageSummaryView; pick: (totals: UsageTotals) => number; format?: (value: number) => string }) {
  const { series, rows } = chartRows(summary, pick);
  const total = rows.reduce((sum, row) => sum + series.reduce((inner, name) => inner + (row[name] ?? 0), 0), 0);
  return (
    <figure className="card usage-chart" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption className="card-head">
        <h2 id={`${id}-title`} className="card-title">
          {title}
        </h2>
        <span className="usage-chart-total" data-testid={`${id}-total`}>
          {format(total)}
        </span>
      </figcaption>
      <div className="usage-chart-plot" role="img" aria-label={`${title}: ${format(total)} in this range${series.length > 1 ? `, by ${series.join(', ')}` : ''}`}>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.12} />
            <XAxis dataKey="start" tickFormatter={(start: number) => bucketLabel(start, summary.bucket)} tick={{ fontSize: 11, fill: 'currentColor' }} stroke="currentColor" strokeOpacity={0.3} minTickGap={24} />
            <YAxis tickFormatter={(value: number) => format(value)} tick={{ fontSize: 11, fill: 'currentColor' }} stroke="currentColor" strokeOpacity={0.3} width={56} allowDecimals={format !== formatCount} />
            <Tooltip
              formatter={(value) => format(Number(value))}
              labelFormatter={(start) => new Date(Number(start)).toLocaleString()}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' }}
            />
            {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {series.map((name, index) => (
              <Bar key={name} dataKey={name} stackId="usage" fill={seriesColours[index % seriesColours.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
