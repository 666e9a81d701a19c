import { describe, expect, it } from 'vitest';
import { findInlineImages, openaiImagesAnswer } from './gemini-image-answer.ts';
import { encodeGeminiImageRequest, nearestAspectRatio } from './gemini-image-request.ts';
import { decodeImageRequest } from './image-request.ts';

describe('OpenAI image requests', () => {
  it('reads prompt, n, size, quality, response_format and stream', () => {
    expect(decodeImageRequest({ prompt: 'p', n: 3, size: '1024x1536', quality: 'high', response_format: 'b64_json' })).toEqual({ prompt: 'p', n: 3, size: '1024x1536', quality: 'high', responseFormat: 'b64_json', stream: false });
    expect(decodeImageRequest({ prompt: 'p', n: null, size: 'auto' })).toEqual({ prompt: 'p', n: 1, size: 'auto', stream: false });
  });

  it('refuses what cannot be served, naming the field', () => {
    for (const [body, field] of [[{}, 'prompt'], [{ prompt: ' ' }, 'prompt'], [{ prompt: 'p', n: 11 }, 'n'], [{ prompt: 'p', size: 'big' }, 'size'], [{ prompt: 'p', response_format: 'png' }, 'response_format'], [{ prompt: 'p', stream: 'yes' }, 'stream']] as const) {
      expect(() => decodeImageRequest(body)).toThrow(`"${field}"`);
    }
  });
});

describe('Gemini image requests', () => {
  it('maps sizes to the nearest aspect ratio Gemini accepts', () => {
    expect(nearestAspectRatio('1024x1024')).toBe('1:1');
    expect(nearestAspectRatio('1536x1024')).toBe('3:2');
    expect(nearestAspectRatio('1024x1792')).toBe('9:16');
    expect(nearestAspectRatio('2560x1080')).toBe('21:9');
  });

  it('asks for image output, n as candidateCount, and says what it dropped', () => {
    const { body, warnings } = encodeGeminiImageRequest({ prompt: 'p', n: 2, size: 'auto', quality: 'hd', stream: false });
    expect(body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'p' }] }], generationConfig: { responseModalities: ['TEXT', 'IMAGE'], candidateCount: 2 } });
    expect(warnings).toEqual(['"quality" hd has no Gemini equivalent and was not sent']);
  });
});

describe('Gemini image answers as OpenAI answers, cut out of the bytes', () => {
  const answer = Buffer.from(
    JSON.stringify({
      candidates: [
        { content: { parts: [{ text: 'a "data" word' }, { inlineData: { data: 'QUJD', mimeType: 'image/jpeg' } }] } },
        { content: { parts: [{ inline_data: { mime_type: 'image/png', data: 'REVG' } }] } },
      ],
      usageMetadata: { promptTokenCount: 1 },
    }),
  );

  it('finds every inline image whatever the key order or spelling, skipping text', () => {
    const images = findInlineImages(answer);
    expect(images.map((image) => [image.mimeType, answer.toString('utf8', image.start, image.end)])).toEqual([['image/jpeg', 'QUJD'], ['image/png', 'REVG']]);
  });

  it('writes b64_json or data: URLs; the images are slices of the answer, not copies', () => {
    const images = findInlineImages(answer);
    const pieces = openaiImagesAnswer(answer, images, { created: 5 });
    expect(JSON.parse(Buffer.concat(pieces).toString('utf8'))).toEqual({ created: 5, data: [{ b64_json: 'QUJD' }, { b64_json: 'REVG' }], output_format: 'jpeg' });
    const image = pieces.find((piece) => piece.toString('utf8') === 'QUJD')!;
    expect(image.buffer).toBe(answer.buffer);
    expect(image.byteOffset).toBe(answer.byteOffset + images[0]!.start);
    const urls = openaiImagesAnswer(answer, images, { created: 5, responseFormat: 'url' });
    expect(JSON.parse(Buffer.concat(urls).toString('utf8')).data).toEqual([{ url: 'data:image/jpeg;base64,QUJD' }, { url: 'data:image/png;base64,REVG' }]);
  });

  it('finds nothing in an answer without images, or one cut short', () => {
    expect(findInlineImages(Buffer.from('{"candidates":[{"content":{"parts":[{"text":"no"}]}}]}'))).toEqual([]);
    expect(findInlineImages(Buffer.from('{"candidates":[{"content":{"parts":[{"inlineData":{"data":"QUJ'))).toEqual([]);
  });
});
