import { parseJsonQuietly } from '../../formats/canonical/json-values.ts';

// Reading model lists (docs/providers.md "Model lists"). OpenAI, Anthropic, OpenRouter and most OpenAI-compatible
// vendors answer GET …/models with {"data":[{"id":…}]}; Gemini with {"models":[{"name":"models/…"}]}; Ollama's
// native /api/tags with {"models":[{"name":…}]}.

/** Ids from `{"data": [{"id": "..."}]}`. */
export function parseDataIds(body: string): string[] {
  const parsed = parseJsonQuietly(body) as { data?: Array<{ id?: unknown }> } | undefined;
  if (!Array.isArray(parsed?.data)) return [];
  return parsed.data.map((entry) => entry?.id).filter((id): id is string => typeof id === 'string' && id.length > 0);
}

/** Names from `{"models": [{"name": "..."}]}`, without a `models/` prefix; `keep` filters entries. */
export function parseModelNames(body: string, keep: (entry: Record<string, unknown>) => boolean = () => true): string[] {
  const parsed = parseJsonQuietly(body) as { models?: Array<Record<string, unknown>> } | undefined;
  if (!Array.isArray(parsed?.models)) return [];
  return parsed.models
    .filter((entry) => entry && typeof entry.name === 'string' && keep(entry))
    .map((entry) => (entry.name as string).replace(/^models\//, ''));
}
