// The engine's one input-token estimate (docs/translation.md, "Token counting").
// A documented estimate, not a tokenizer: about 4 characters of text per token (the usual figure for English
// and code with current BPE tokenizers), plus fixed costs per message, per tool and per image.
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { CanonicalPart, CanonicalRequest } from './canonical/canonical-request.ts';
import { Warnings } from './canonical/warnings.ts';
import { codecFor } from './codecs.ts';
import type { CanonicalEmbeddingRequest } from './embeddings/canonical-embeddings.ts';

export const charactersPerToken = 4;
/** Role markers and separators the model sees around each message. */
export const tokensPerMessage = 4;
/** Framing of each tool definition beyond its JSON text. */
export const tokensPerTool = 8;
/** An image or binary document of unknown size: Anthropic's cost for a ~1.15 megapixel image. */
export const tokensPerMedia = 1600;

function partCharacters(part: CanonicalPart): { characters: number; media: number } {
  switch (part.type) {
    case 'text':
      return { characters: part.text.length, media: 0 };
    case 'image':
    case 'document':
      return part.source.kind === 'text' ? { characters: part.source.text.length, media: 0 } : { characters: 0, media: 1 };
    case 'tool_call':
      return { characters: part.name.length + part.arguments.length, media: 0 };
    case 'tool_result':
      return part.content.reduce(
        (sum, item) => {
          const counted = partCharacters(item);
          return { characters: sum.characters + counted.characters, media: sum.media + counted.media };
        },
        { characters: 0, media: 0 },
      );
    case 'reasoning':
      return { characters: (part.text ?? '').length + (part.summary ?? []).join('').length, media: 0 };
  }
}

/**
 * Estimated input tokens of a request body in `format` (Gemini countTokens bodies may wrap a generateContentRequest).
 * The one estimator of the engine: count_tokens estimates, the longContext scenario rule and the guard's token
 * windows all use it. A body the codec cannot read (a malformed request that passes through unchanged) is
 * estimated from its JSON text at the same characters-per-token rate.
 */
export function estimateInputTokens(format: WireFormat, body: Record<string, unknown>): number {
  const codec = codecFor(format);
  let canonical: CanonicalRequest;
  try {
    canonical = codec.decodeRequest(codec.tokenCountRequest(body), { warnings: new Warnings(), stream: false });
  } catch {
    return Math.ceil(JSON.stringify(body).length / charactersPerToken);
  }
  let characters = 0;
  let media = 0;
  let framing = 0;
  for (const message of canonical.messages) {
    framing += tokensPerMessage;
    for (const part of message.content) {
      const counted = partCharacters(part);
      characters += counted.characters;
      media += counted.media;
    }
  }
  for (const tool of canonical.tools) {
    framing += tokensPerTool;
    characters += tool.kind === 'builtin' ? JSON.stringify(tool.raw).length : tool.name.length + (tool.description ?? '').length + JSON.stringify(tool.parameters).length;
  }
  return Math.ceil(characters / charactersPerToken) + media * tokensPerMedia + framing;
}

/** Estimated tokens of `characters` characters of text (a prompt, or what a model generated). */
export function tokensOfCharacters(characters: number): number {
  return Math.ceil(characters / charactersPerToken);
}

/** Estimated tokens of plain texts (an image prompt), at the same characters-per-token rate. */
export function estimateTextTokens(texts: readonly string[]): number {
  let characters = 0;
  for (const text of texts) characters += text.length;
  return tokensOfCharacters(characters);
}

/** Estimated input tokens of an embeddings request: its texts at the usual rate, token-id inputs as their length. */
export function estimateEmbeddingTokens(request: CanonicalEmbeddingRequest): number {
  let tokens = 0;
  const texts: string[] = [];
  for (const input of request.inputs) {
    if (input.kind === 'tokens') tokens += input.tokens.length;
    else texts.push(input.text);
  }
  return tokens + estimateTextTokens(texts);
}
