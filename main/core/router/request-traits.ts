import type { WireFormat } from '../../../shared/wire-format.ts';

// What the scenario rules look at in a request (docs/routing.md "Scenario rules"). Read from the parsed client body
// in its own wire format (docs/wire-formats.md); nothing here changes the body.

export interface RequestTraits {
  /** The request asks for extended thinking / reasoning. */
  thinking(): boolean;
  /** The request carries a web-search tool. */
  webSearch(): boolean;
  /** Rough input size in tokens (text ~4 characters per token; each image counted as a fixed amount). */
  estimatedInputTokens(): number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Thinking, per format: Anthropic `thinking`, OpenAI `reasoning_effort` / `reasoning.effort`, Gemini `thinkingConfig`. */
export function asksForThinking(format: WireFormat, body: Json): boolean {
  switch (format) {
    case 'anthropic': {
      const thinking = body.thinking;
      return isObject(thinking) && (thinking.type === 'enabled' || thinking.type === 'adaptive');
    }
    case 'openai-chat':
      return typeof body.reasoning_effort === 'string' && !['none', 'minimal'].includes(body.reasoning_effort);
    case 'openai-responses': {
      const reasoning = body.reasoning;
      return isObject(reasoning) && typeof reasoning.effort === 'string' && !['none', 'minimal'].includes(reasoning.effort);
    }
    case 'gemini': {
      const generation = body.generationConfig;
      const thinking = isObject(generation) ? generation.thinkingConfig : undefined;
      if (!isObject(thinking)) return false;
      if (typeof thinking.thinkingBudget === 'number') return thinking.thinkingBudget !== 0;
      return thinking.includeThoughts === true || typeof thinking.thinkingLevel === 'string';
    }
  }
}

/** Web search tools: Anthropic `web_search_*` server tools, OpenAI `web_search*` tools / `web_search_options`, Gemini `googleSearch`. */
export function carriesWebSearch(format: WireFormat, body: Json): boolean {
  const tools = asArray(body.tools);
  switch (format) {
    case 'anthropic':
      return tools.some((tool) => isObject(tool) && typeof tool.type === 'string' && tool.type.startsWith('web_search'));
    case 'openai-chat':
      return isObject(body.web_search_options) || tools.some((tool) => isObject(tool) && typeof tool.type === 'string' && tool.type.startsWith('web_search'));
    case 'openai-responses':
      return tools.some((tool) => isObject(tool) && typeof tool.type === 'string' && tool.type.startsWith('web_search'));
    case 'gemini':
      return tools.some((tool) => isObject(tool) && (isObject(tool.googleSearch) || isObject(tool.googleSearchRetrieval)));
  }
}

/** Tokens charged for one image, whatever its size: a rough middle of what providers bill. */
const imageTokens = 1_500;
const base64Like = /^[A-Za-z0-9+/=\r\n]+$/;

/**
 * A rough input token estimate that does not count image bytes as text: strings under image-ish keys (`data`,
 * `url`/`image_url` with a data: URL, `inlineData`) count as one image, everything else at ~4 characters a token.
 */
export function estimateInputTokens(body: Json, budget = 2_000_000): number {
  let characters = 0;
  let images = 0;
  let visited = 0;
  const walk = (value: unknown, key: string | undefined): void => {
    if (visited++ > budget) return;
    if (typeof value === 'string') {
      const imageish = key === 'data' || value.startsWith('data:') || (value.length > 4096 && base64Like.test(value.slice(0, 256)) && !value.includes(' '));
      if (imageish) images += 1;
      else characters += value.length;
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, key);
      return;
    }
    if (isObject(value)) for (const [name, child] of Object.entries(value)) walk(child, name);
  };
  walk(body, undefined);
  return Math.ceil(characters / 4) + images * imageTokens;
}

/** Lazily computed traits of one request (each is computed at most once, and only if a rule asks). */
export function requestTraits(format: WireFormat, body: Json): RequestTraits {
  let thinking: boolean | undefined;
  let webSearch: boolean | undefined;
  let tokens: number | undefined;
  return {
    thinking: () => (thinking ??= asksForThinking(format, body)),
    webSearch: () => (webSearch ??= carriesWebSearch(format, body)),
    estimatedInputTokens: () => (tokens ??= estimateInputTokens(body)),
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
