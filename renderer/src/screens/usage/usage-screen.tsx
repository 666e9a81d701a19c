import { useState } from 'react';
import type { LedgerStatusView, UsageTotals } from '../../../../shared/usage-views.ts';
import { PulseIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import { GuardWorkChart } from './guard-work-chart.tsx';
import { credentialRows } from './insight-series.ts';
import { LatencyChart } from './latency-chart.tsx';
import { LimitsTable } from './limits-table.tsx';
import { RecentRequestsTable } from './recent-requests-table.tsx';
import { UsageChart } from './usage-chart.tsx';
import type { UsageRange } from './usage-series.ts';
import { allTokens, formatCount, formatMs, formatUsd, usageRanges } from './usage-series.ts';
import type { SeriesGrouping } from './use-usage.ts';
import { useUsage } from './use-usage.ts';

const groupings: ReadonlyArray<{ id: SeriesGrouping; label: string }> = [
  { id: 'provider', label: 'By provider' },
  { id: 'model', label: 'By model' },
];

/** "recording" or "not recording: why", from the ledger's own status. */
export function ledgerWords(status: LedgerStatusView | undefined): { recording: boolean; text: string } {
  if (!status) return { recording: false, text: 'not recording: Switchyard did not answer' };
  const recording = status.health === 'ok' || status.health === 'recovered';
  return { recording, text: recording ? 'recording' : `not recording: ${status.message ?? status.health}` };
}

function RadioGroup<T extends string>({ label, name, options, value, onChange }: { label: string; name: string; options: ReadonlyArray<{ id: T; label: string }>; value: T; onChange(value: T): void }) {
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">{label}</legend>
      {options.map((option) => (
        <label key={option.id} className={`segmented-option ${value === option.id ? 'segmented-active' : ''}`}>
          <input type="radio" name={name} value={option.id} checked={value === option.id} onChange={() => onChange(option.id)} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

function Tile({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <div className="usage-tile" data-testid={testId}>
      <div className="usage-tile-label">{label}</div>
      <div className="usage-tile-value">{value}</div>
      {note && <div className="usage-tile-note muted small">{note}</div>}
    </div>
  );
}

function costNote(totals: UsageTotals): string | undefined {
  const parts = [];
  if (totals.unpricedRequests > 0) parts.push(`${formatCount(totals.unpricedRequests)} without a price`);
  if (totals.includedRequests > 0) parts.push(`${formatCount(totals.includedRequests)} included in a plan`);
  return parts.length > 0 ? `plus ${parts.join(', ')}` : undefined;
}

/** Where tokens and money went: requests, tokens and cost over time, the latest requests, and whether recording works. */
export function UsageScreen() {
  const [range, setRange] = useState<UsageRange>(usageRanges[1]);
  const [groupBy, setGroupBy] = useState<SeriesGrouping>('provider');
  const usage = useUsage(range, groupBy);
  const ledger = ledgerWords(usage.status);
  const totals = usage.summary?.totals;
  const limits = usage.forecast ? credentialRows(usage.credentials ?? [], usage.forecast.credentials) : undefined;
  const limitsTable = limits && <LimitsTable rows={limits} now={usage.forecast!.takenAt} rangeLabel={range.label} />;

  return (
    <>
      <PageHeader
        title="Usage"
        description="Every request Switchyard served or refused, the tokens the provider reported and what they cost."
        actions={
          <StatusPill tone={ledger.recording ? 'good' : 'warn'} title={usage.status?.path || undefined}>
            <span data-testid="ledger-status">{ledger.text}</span>
          </StatusPill>
        }
      />
      <div className="usage-controls">
        <RadioGroup label="Range" name="usage-range" options={usageRanges} value={range.id} onChange={(id) => setRange(usageRanges.find((candidate) => candidate.id === id)!)} />
        <RadioGroup<SeriesGrouping> label="Stack by" name="usage-group" options={groupings} value={groupBy} onChange={setGroupBy} />
      </div>
      {usage.status && usage.status.dropped > 0 && <Notice tone="warn" title="Some records were lost">{`${formatCount(usage.status.dropped)} requests could not be recorded while the database was unavailable.`}</Notice>}
      {usage.loading && !usage.summary ? (
        <LoadingState rows={4} label="Loading usage" />
      ) : usage.error && !usage.summary ? (
        <ErrorState title="Usage is not available" message={usage.error} onRetry={usage.reload} />
      ) : totals && usage.summary && totals.requests === 0 ? (
        <>
          <EmptyState icon={<PulseIcon />} title={`No requests in the last ${range.label}`}>
            Point a tool at Switchyard&apos;s address (see the dashboard) and its requests show up here within seconds.
          </EmptyState>
          {limits && limits.length > 0 && <div className="usage-grid usage-grid-after-empty">{limitsTable}</div>}
        </>
      ) : (
        totals &&
        usage.summary && (
          <div className="usage-grid">
            <div className="usage-tiles">
              <Tile testId="tile-requests" label="Requests" value={formatCount(totals.requests)} note={totals.errors > 0 ? `${formatCount(totals.errors)} failed` : 'none failed'} />
              <Tile testId="tile-tokens" label="Tokens" value={formatCount(allTokens(totals))} note={`${formatCount(totals.inputTokens)} in · ${formatCount(totals.outputTokens)} out · ${formatCount(totals.cacheReadTokens)} cached`} />
              <Tile testId="tile-cost" label="Cost" value={formatUsd(totals.costUsd)} note={costNote(totals)} />
              <Tile testId="tile-latency" label="Latency p50 / p95" value={`${formatMs(totals.latencyP50Ms)} / ${formatMs(totals.latencyP95Ms)}`} note={totals.upstreamRateLimited > 0 ? `${formatCount(totals.upstreamRateLimited)} rate limits absorbed, ${formatCount(totals.rateLimitedReachedClient)} reached a client` : undefined} />
            </div>
            <UsageChart id="chart-requests" title="Requests" summary={usage.summary} pick={(bucket) => bucket.requests} />
            <UsageChart id="chart-tokens" title="Tokens" summary={usage.summary} pick={allTokens} />
            <UsageChart id="chart-cost" title="Cost (priced requests)" summary={usage.summary} pick={(bucket) => bucket.costUsd} format={formatUsd} />
            {usage.latency && <LatencyChart latency={usage.latency} />}
            <GuardWorkChart summary={usage.summary} />
            {limitsTable}
            {usage.recent && <RecentRequestsTable requests={usage.recent.requests} />}
          </div>
        )
      )}
    </>
  );
}
