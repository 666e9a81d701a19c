// Tokens for a request whose upstream reported none (some compatible hosts, a stream cut before its usage event).
// The one place the ledger calls the engine's estimator, so the estimate is the same one count_tokens gives.
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { CanonicalUsage } from '../formats/canonical/canonical-response.ts';
import { estimateInputTokens, tokensOfCharacters } from '../formats/estimate-tokens.ts';

export interface EstimateInput {
  clientFormat: WireFormat;
  /** The client's request body as parsed JSON. */
  requestBody: Record<string, unknown>;
  /** Characters of text the client received (content, reasoning and tool arguments), when known. */
  outputCharacters?: number;
  /** Input tokens already estimated by the request path (embeddings and image prompts are not chat bodies). */
  inputTokens?: number;
}

/** An estimate, or undefined when even that is impossible (a body the format cannot decode). */
export function estimateUsage(input: EstimateInput): CanonicalUsage | undefined {
  try {
    const inputTokens = input.inputTokens ?? estimateInputTokens(input.clientFormat, input.requestBody);
    const outputTokens = tokensOfCharacters(input.outputCharacters ?? 0);
    return { inputTokens, outputTokens };
  } catch {
    return undefined;
  }
}
