// OpenAI's image generation request (platform.openai.com/docs/api-reference/images/create): `prompt` (required),
// `n` 1-10, `size` ("1024x1024", "1536x1024", "auto", ...), `quality`, `response_format` url | b64_json, `stream`.
// Read only as far as a translation needs; an OpenAI-style provider gets the client's bytes.
import { requestError } from '../../errors/proxy-error.ts';

export interface ImageRequest {
  prompt: string;
  n: number;
  size?: string;
  quality?: string;
  /** What the client wants back; OpenAI's default for dall-e models is url, gpt-image models always answer b64_json. */
  responseFormat?: 'url' | 'b64_json';
  stream: boolean;
}

const invalid = (message: string) => requestError('invalid_request', 400, message);

export function decodeImageRequest(body: Record<string, unknown>): ImageRequest {
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') throw invalid('"prompt" must be a non-empty string.');
  const request: ImageRequest = { prompt: body.prompt, n: 1, stream: body.stream === true };
  if (body.n !== undefined && body.n !== null) {
    if (!Number.isInteger(body.n) || (body.n as number) < 1 || (body.n as number) > 10) throw invalid('"n" must be an integer from 1 to 10.');
    request.n = body.n as number;
  }
  if (body.size !== undefined && body.size !== null) {
    if (typeof body.size !== 'string' || !(body.size === 'auto' || /^\d{2,5}x\d{2,5}$/.test(body.size))) throw invalid('"size" must be "auto" or WIDTHxHEIGHT, e.g. "1024x1024".');
    request.size = body.size;
  }
  if (body.quality !== undefined && body.quality !== null) {
    if (typeof body.quality !== 'string') throw invalid('"quality" must be a string.');
    request.quality = body.quality;
  }
  if (body.response_format !== undefined && body.response_format !== null) {
    if (body.response_format !== 'url' && body.response_format !== 'b64_json') throw invalid('"response_format" must be "url" or "b64_json".');
    request.responseFormat = body.response_format;
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw invalid('"stream" must be true or false.');
  return request;
}
