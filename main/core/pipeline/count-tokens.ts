import type { ServerResponse } from 'node:http';
import { estimateInputTokens } from '../formats/translator.ts';
import type { ModelRequest } from './model-request.ts';
import { sendJson } from '../server/send.ts';

/** About 4 bytes of JSON per token: good enough for rate windows, not for billing. */
export function estimateTokensRoughly(byteLength: number): number {
  return Math.ceil(byteLength / 4);
}

/** Answers count_tokens in the client's format with the documented estimate (docs/translation.md). */
export function respondWithTokenEstimate(response: ServerResponse, request: ModelRequest, headers: Record<string, string>): void {
  const tokens = estimateInputTokens(request.format, request.body);
  const body = request.format === 'gemini' ? { totalTokens: tokens } : { input_tokens: tokens };
  sendJson(response, 200, JSON.stringify(body), headers);
}
