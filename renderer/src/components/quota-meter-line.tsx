import type { QuotaMeterView } from '../../../shared/quota-views.ts';
import { amountWords, forecastSentence } from '../../../shared/quota-words.ts';
import { StatusPill } from './status-pill.tsx';

const stateTone = { ok: 'good', soon: 'warn', out: 'bad' } as const;
const stateWords = { ok: 'ok', soon: 'runs out soon', out: 'used up' } as const;

function rate(meter: QuotaMeterView): string {
  if (meter.ratePerHour === null) return '';
  return ` · ${meter.unit === 'percent' ? `${meter.ratePerHour.toFixed(1)}%` : String(Math.round(meter.ratePerHour))} an hour lately`;
}

/** One limit or quota: a bar, the amount, where the figure comes from, and the forecast in words. `showWho`: name the key first (where several keys' lines stand together). */
export function MeterLine({ who, meter, now, showWho = false }: { who: string; meter: QuotaMeterView; now: number; showWho?: boolean }) {
  const sentence = forecastSentence(who, meter, now);
  return (
    <div className="limit-line" data-testid="limit-line">
      <div className="limit-head">
        {showWho && <span className="mono limit-who">{who}</span>}
        <span className="limit-name">{meter.name}</span>
        <span className="muted small">{meter.source === 'vendor' ? "vendor's figure" : 'configured limit'}</span>
        <StatusPill tone={stateTone[meter.state]}>{stateWords[meter.state]}</StatusPill>
      </div>
      <meter className="limit-bar" min={0} max={meter.limit} low={meter.limit * 0.7} high={meter.limit * 0.9} optimum={0} value={Math.min(meter.used, meter.limit)} aria-label={`${meter.name}: ${amountWords(meter)}`} />
      <div className="small">
        {amountWords(meter)}
        <span className="muted">{rate(meter)}</span>
      </div>
      <div className="small limit-forecast" data-testid="limit-forecast">{sentence}</div>
    </div>
  );
}

