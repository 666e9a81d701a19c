import type { ResponseHeaders } from './guard-contract.ts';
import { parseGoDuration } from './go-duration.ts';

/** What is left of a provider-side budget, and when it refills. */
export interface RemainingBudget {
  remaining: number;
  resetAt: number;
  /** The whole budget per window, when the provider says (`*-limit`). */
  limit?: number;
}

export interface RateLimitHints {
  requests?: RemainingBudget;
  tokens?: RemainingBudget;
}

function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function count(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number.parseInt(text, 10);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The tighter of two budgets: fewer remaining wins; with equal counts, the later reset. */
function tighter(a: RemainingBudget | undefined, b: RemainingBudget | undefined): RemainingBudget | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.remaining !== b.remaining) return a.remaining < b.remaining ? a : b;
  return a.resetAt >= b.resetAt ? a : b;
}

/** The three header names of one budget. Built once: names assembled per response cost a string and a slow lookup each. */
interface BudgetHeaders {
  remaining: string;
  reset: string;
  limit: string;
}

// Anthropic: anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{remaining,reset,limit}, resets in
// RFC 3339 (docs/wire-formats.md, Anthropic Messages).
const anthropicHeaders = (kind: string): BudgetHeaders => ({
  remaining: `anthropic-ratelimit-${kind}-remaining`,
  reset: `anthropic-ratelimit-${kind}-reset`,
  limit: `anthropic-ratelimit-${kind}-limit`,
});
// OpenAI and compatibles: x-ratelimit-remaining-{requests,tokens} with x-ratelimit-reset-{requests,tokens} as Go
// durations (docs/wire-formats.md, OpenAI Chat Completions).
const openaiHeaders = (kind: string): BudgetHeaders => ({ remaining: `x-ratelimit-remaining-${kind}`, reset: `x-ratelimit-reset-${kind}`, limit: `x-ratelimit-limit-${kind}` });

const anthropicRequests = anthropicHeaders('requests');
const anthropicTokens = anthropicHeaders('tokens');
const anthropicInputTokens = anthropicHeaders('input-tokens');
const anthropicOutputTokens = anthropicHeaders('output-tokens');
const openaiRequests = openaiHeaders('requests');
const openaiTokens = openaiHeaders('tokens');

function anthropicBudget(headers: ResponseHeaders, names: BudgetHeaders, now: number): RemainingBudget | undefined {
  const remaining = count(header(headers, names.remaining));
  const reset = header(headers, names.reset);
  if (remaining === undefined || reset === undefined) return undefined;
  const resetAt = Date.parse(reset);
  if (!Number.isFinite(resetAt)) return undefined;
  return withLimit({ remaining, resetAt: Math.max(now, resetAt) }, count(header(headers, names.limit)));
}

function openaiBudget(headers: ResponseHeaders, names: BudgetHeaders, now: number): RemainingBudget | undefined {
  const remaining = count(header(headers, names.remaining));
  const resetIn = parseGoDuration(header(headers, names.reset));
  if (remaining === undefined || resetIn === undefined) return undefined;
  return withLimit({ remaining, resetAt: now + resetIn }, count(header(headers, names.limit)));
}

function withLimit(budget: RemainingBudget, limit: number | undefined): RemainingBudget {
  return limit === undefined ? budget : { ...budget, limit };
}

/** Reads the provider's remaining request and token budgets from a successful response's headers. */
export function readRateLimitHints(headers: ResponseHeaders | undefined, now: number): RateLimitHints | undefined {
  if (!headers) return undefined;
  const requests = tighter(anthropicBudget(headers, anthropicRequests, now), openaiBudget(headers, openaiRequests, now));
  // Output tokens cannot be estimated before the call, but a spent output budget still means the next call fails.
  const tokens = tighter(
    tighter(anthropicBudget(headers, anthropicTokens, now), anthropicBudget(headers, anthropicInputTokens, now)),
    tighter(anthropicBudget(headers, anthropicOutputTokens, now), openaiBudget(headers, openaiTokens, now)),
  );
  if (!requests && !tokens) return undefined;
  const hints: RateLimitHints = {};
  if (requests) hints.requests = requests;
  if (tokens) hints.tokens = tokens;
  return hints;
}
