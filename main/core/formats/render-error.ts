import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProxyError } from '../errors/proxy-error.ts';
import { anthropicErrorBody, isAnthropicErrorBody } from './anthropic/error-body.ts';
import { geminiErrorBody, isGeminiErrorBody } from './gemini/error-body.ts';
import { isOpenaiErrorBody, openaiErrorBody } from './openai-chat/error-body.ts';

/** The upstream format an error body came from, when the error carries one. */
export interface RenderErrorOptions {
  upstreamFormat?: WireFormat;
}

function sameFamily(a: WireFormat, b: WireFormat): boolean {
  const family = (format: WireFormat) => (format === 'openai-responses' ? 'openai-chat' : format);
  return family(a) === family(b);
}

function parseQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Renders a ProxyError as the HTTP body the caller's SDK expects. When the upstream spoke the caller's own format,
 * its error document is passed through unchanged (it carries details such as Gemini's RetryInfo that clients read).
 */
export function renderErrorBody(format: WireFormat, error: ProxyError, options: RenderErrorOptions = {}): string {
  if (error.upstreamBody && options.upstreamFormat && sameFamily(options.upstreamFormat, format)) {
    const parsed = parseQuietly(error.upstreamBody);
    const passes =
      format === 'anthropic' ? isAnthropicErrorBody(parsed) : format === 'gemini' ? isGeminiErrorBody(parsed) : isOpenaiErrorBody(parsed);
    if (passes) return error.upstreamBody;
  }
  switch (format) {
    case 'anthropic':
      return anthropicErrorBody(error.status, error.message);
    case 'gemini':
      return geminiErrorBody(error.status, error.message);
    case 'openai-chat':
    case 'openai-responses':
      return openaiErrorBody(error.status, error.message, error.code);
  }
}
