/**
 * Go-style durations as OpenAI sends them in `x-ratelimit-reset-*` (docs/wire-formats.md, OpenAI Chat Completions): `12ms`, `20s`, `6m0s`,
 * `1h2m3.5s`. Also accepts a bare number of seconds, which some OpenAI-compatible servers send instead.
 */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number.parseFloat(trimmed) * 1000);
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|\u00b5s|\u03bcs|ns)/g)) {
    const value = Number.parseFloat(match[1]!);
    const unit = match[2];
    const factor = unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : unit === 's' ? 1000 : unit === 'ms' ? 1 : unit === 'ns' ? 1e-6 : 1e-3;
    total += value * factor;
    consumed += match[0].length;
  }
  return consumed === trimmed.length ? Math.ceil(total) : undefined;
}
