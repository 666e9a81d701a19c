// What the scenario rules read from a Responses request: `reasoning.effort` above minimal, and a `web_search*`
// tool (https://platform.openai.com/docs/api-reference/responses/create).
import { hasToolOfType } from '../canonical/request-helpers.ts';
import { isRecord } from '../canonical/json-values.ts';
import { effortsWithoutThinking } from '../openai-chat/request-traits.ts';

export function responsesAsksForThinking(body: Record<string, unknown>): boolean {
  const reasoning = body.reasoning;
  return isRecord(reasoning) && typeof reasoning.effort === 'string' && !effortsWithoutThinking.includes(reasoning.effort);
}

export function responsesCarriesWebSearch(body: Record<string, unknown>): boolean {
  return hasToolOfType(body.tools, 'web_search');
}
