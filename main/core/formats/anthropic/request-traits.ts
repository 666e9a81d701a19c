// What the scenario rules read from an Anthropic Messages request: `thinking` enabled or adaptive, and the
// `web_search_*` server tools (https://docs.anthropic.com/en/docs/build-with-claude/tool-use/web-search-tool).
import { isRecord } from '../canonical/json-values.ts';
import { hasToolOfType } from '../canonical/request-helpers.ts';

export function anthropicAsksForThinking(body: Record<string, unknown>): boolean {
  const thinking = body.thinking;
  return isRecord(thinking) && (thinking.type === 'enabled' || thinking.type === 'adaptive');
}

export function anthropicCarriesWebSearch(body: Record<string, unknown>): boolean {
  return hasToolOfType(body.tools, 'web_search');
}
