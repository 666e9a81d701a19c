// What the scenario rules read from a Chat Completions request: `reasoning_effort` above minimal, and
// `web_search_options` or a `web_search*` tool (https://platform.openai.com/docs/api-reference/chat/create).
import { hasToolOfType } from '../canonical/request-helpers.ts';
import { isRecord } from '../canonical/json-values.ts';

/** Reasoning efforts that ask for no (or next to no) reasoning. */
export const effortsWithoutThinking: readonly string[] = ['none', 'minimal'];

export function chatAsksForThinking(body: Record<string, unknown>): boolean {
  return typeof body.reasoning_effort === 'string' && !effortsWithoutThinking.includes(body.reasoning_effort);
}

export function chatCarriesWebSearch(body: Record<string, unknown>): boolean {
  return isRecord(body.web_search_options) || hasToolOfType(body.tools, 'web_search');
}
