import { codecFor } from '../formats/codecs.ts';
import { estimateInputTokens } from '../formats/estimate-tokens.ts';
import type { ModelRequest } from './model-request.ts';

/** A count_tokens answer in the client's format with the documented estimate (docs/translation.md). */
export function tokenEstimateBody(request: ModelRequest): string {
  return JSON.stringify(codecFor(request.format).encodeTokenCount(estimateInputTokens(request.format, request.body)));
}
