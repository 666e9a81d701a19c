import type { CredentialQuotaView, QuotaMeterView } from './quota-views.ts';

// The forecast in words, one sentence per meter, shared by the tray and the dashboard so both say the same thing:
// "key-2 reaches its daily limit around 17:40; resets 00:00 Pacific". Times are 24-hour clock times in the given
// zone (the viewer's own by default); a time more than a day away also names the day.

const zoneNames: Record<string, string> = { 'America/Los_Angeles': 'Pacific' };
const dayMs = 86_400_000;

export interface WordsOptions {
  /** The zone to write times in; the machine's own when left out. Tests pin it. */
  timeZone?: string;
}

export function clockTime(at: number, now: number, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) };
  if (Math.abs(at - now) > dayMs - 60_000) Object.assign(options, { day: 'numeric', month: 'short' });
  return new Intl.DateTimeFormat('en-GB', options).format(new Date(at));
}

function windowWords(windowMs: number | null): string {
  if (windowMs === null) return 'its window';
  if (windowMs % dayMs === 0) return `${windowMs / dayMs === 1 ? '24 h' : `${windowMs / dayMs} d`}`;
  return windowMs >= 3_600_000 ? `${Math.round(windowMs / 3_600_000)} h` : `${Math.round(windowMs / 60_000)} min`;
}

/** "resets 00:00 Pacific", "resets 1 Jan 00:00", "frees up from 09:12 (each request counts for 24 h)". */
export function resetWords(meter: QuotaMeterView, now: number, options: WordsOptions = {}): string {
  if (meter.resetKind === 'rolling') {
    const span = `each request counts for ${windowWords(meter.windowMs)}`;
    return meter.resetAt === null ? span : `frees up from ${clockTime(meter.resetAt, now, options.timeZone)} (${span})`;
  }
  if (meter.resetKind === 'fixed' && meter.resetAt !== null) {
    if (meter.resetTimeZone) return `resets ${clockTime(meter.resetAt, now, meter.resetTimeZone)} ${zoneNames[meter.resetTimeZone] ?? meter.resetTimeZone}`;
    return `resets ${clockTime(meter.resetAt, now, options.timeZone)}`;
  }
  return 'reset time not known';
}

export function amountWords(meter: QuotaMeterView): string {
  if (meter.unit === 'percent') return `${Math.round(meter.used)}% used`;
  return `${Math.round(meter.used)} of ${Math.round(meter.limit)} used`;
}

/** The one sentence for a meter of `who` (a key id or an account's login). */
export function forecastSentence(who: string, meter: QuotaMeterView, now: number, options: WordsOptions = {}): string {
  const reset = resetWords(meter, now, options);
  if (meter.state === 'out') return `${who} has used up its ${meter.name}; ${reset}`;
  if (meter.runsOutAt !== null) return `${who} reaches its ${meter.name} around ${clockTime(meter.runsOutAt, now, options.timeZone)}; ${reset}`;
  return `${who}: ${amountWords(meter)} of its ${meter.name}, not running out at the current rate; ${reset}`;
}

/** Every meter that needs attention now (out, or running out within the warning time), as sentences. */
export function quotaWarnings(credentials: readonly CredentialQuotaView[], now: number, options: WordsOptions = {}): Array<{ provider: string; credential: CredentialQuotaView; meter: QuotaMeterView; sentence: string }> {
  return credentials.flatMap((credential) =>
    credential.meters.filter((meter) => meter.state !== 'ok').map((meter) => ({ provider: credential.provider, credential, meter, sentence: forecastSentence(credential.label, meter, now, options) })),
  );
}
