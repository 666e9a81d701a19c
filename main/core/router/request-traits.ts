import type { WireFormat } from '../../../shared/wire-format.ts';
import { codecFor } from '../formats/codecs.ts';
import { estimateInputTokens } from '../formats/estimate-tokens.ts';

// What the scenario rules look at in a request (docs/routing.md "Scenario rules"), read from the parsed client
// body by its codec; nothing here changes the body. The same traits object serves the guard's token estimate.

export interface RequestTraits {
  /** The request asks for extended thinking / reasoning. */
  thinking(): boolean;
  /** The request carries a web-search tool. */
  webSearch(): boolean;
  /** Input size in tokens, by the engine's one estimator (formats/estimate-tokens.ts). */
  estimatedInputTokens(): number;
}

/** Lazily computed traits of one request (each is computed at most once, and only if something asks). */
export function requestTraits(format: WireFormat, body: Record<string, unknown>): RequestTraits {
  let thinking: boolean | undefined;
  let webSearch: boolean | undefined;
  let tokens: number | undefined;
  return {
    thinking: () => (thinking ??= codecFor(format).asksForThinking(body)),
    webSearch: () => (webSearch ??= codecFor(format).carriesWebSearch(body)),
    estimatedInputTokens: () => (tokens ??= estimateInputTokens(format, body)),
  };
}

/** Fixed traits, for tests and dry runs. */
export function fixedTraits(traits: Partial<{ thinking: boolean; webSearch: boolean; estimatedInputTokens: number }>): RequestTraits {
  return {
    thinking: () => traits.thinking ?? false,
    webSearch: () => traits.webSearch ?? false,
    estimatedInputTokens: () => traits.estimatedInputTokens ?? 0,
  };
}
