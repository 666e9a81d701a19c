import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageLatencyView } from '../../../../shared/latency-views.ts';
import { latencyRows, latencySeries } from './insight-series.ts';
import { bucketLabel, formatMs } from './usage-series.ts';

/**
 * p50 and p95 of the time to the upstream's first byte and of the whole request, per bucket. Solid lines are the
 * median, dashed the 95th percentile; the caption gives the range's own figures as text.
 */
export function LatencyChart({ latency }: { latency: UsageLatencyView }) {
  const rows = latencyRows(latency);
  const { overall } = latency;
  const summary = `first byte ${formatMs(overall.ttfbP50Ms)} / ${formatMs(overall.ttfbP95Ms)} · total ${formatMs(overall.durationP50Ms)} / ${formatMs(overall.durationP95Ms)}`;
  return (
    <figure className="card usage-chart" aria-labelledby="chart-latency-title" data-testid="chart-latency">
      <figcaption className="card-head">
        <h2 id="chart-latency-title" className="card-title">
          Latency
        </h2>
        <span className="usage-chart-total" data-testid="chart-latency-total">
          {summary}
        </span>
      </figcaption>
      <div className="usage-chart-plot" role="img" aria-label={`Latency in this range, p50 / p95: ${summary}`}>
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.12} />
            <XAxis dataKey="start" tickFormatter={(start: number) => bucketLabel(start, latency.bucket)} tick={{ fontSize: 11, fill: 'currentColor' }} stroke="currentColor" strokeOpacity={0.3} minTickGap={24} />
            <YAxis tickFormatter={(value: number) => formatMs(value)} tick={{ fontSize: 11, fill: 'currentColor' }} stroke="currentColor" strokeOpacity={0.3} width={56} />
            <Tooltip
              formatter={(value) => formatMs(value === null || value === undefined ? null : Number(value))}
              labelFormatter={(start) => new Date(Number(start)).toLocaleString()}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {latencySeries.map((series) => (
              <Line
                key={series.key}
                dataKey={series.key}
                name={series.label}
                stroke={series.colour}
                strokeWidth={2}
                strokeDasharray={series.dashed ? '5 4' : undefined}
                // Dots always: a bucket between two empty ones has no line to draw, only its point.
                dot={{ r: 2, strokeWidth: 0, fill: series.colour }}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
