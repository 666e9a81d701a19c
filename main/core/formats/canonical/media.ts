// Images and documents move between formats as base64 + media type or as URLs. OpenAI formats put base64 in
// data URLs; Anthropic and Gemini keep the two apart.
import type { MediaSource, ToolResultContent } from './canonical-request.ts';

const dataUrlPattern = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s;

/** Reads an OpenAI image/file URL: a data URL becomes base64, anything else stays a URL. */
export function mediaSourceFromUrl(url: string): MediaSource {
  const match = dataUrlPattern.exec(url);
  if (match) return { kind: 'base64', mediaType: match[1] ?? 'application/octet-stream', data: match[2] ?? '' };
  return { kind: 'url', url };
}

export function dataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

const mediaTypeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

/** Gemini's fileData needs a mime type even for URLs: guessed from the extension. */
export function guessMediaType(url: string, fallback: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return (extension && mediaTypeByExtension[extension]) || fallback;
}

/** The text of tool-result content, for formats whose tool results are plain strings. */
export function toolResultText(content: ToolResultContent[]): string {
  return content
    .map((part) => (part.type === 'text' ? part.text : part.type === 'document' && part.source.kind === 'text' ? part.source.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

export function hasNonTextContent(content: ToolResultContent[]): boolean {
  return content.some((part) => part.type !== 'text' && !(part.type === 'document' && part.source.kind === 'text'));
}

/** Filename for a document sent to OpenAI formats, which want one. */
export function documentFilename(title: string | undefined, mediaType: string): string {
  if (title) return title;
  const extension = Object.entries(mediaTypeByExtension).find(([, type]) => type === mediaType)?.[0] ?? 'bin';
  return `document.${extension}`;
}
