// An OpenAI image request for a Gemini image model (ai.google.dev/gemini-api/docs/image-generation): generateContent
// with the prompt as the user turn, `responseModalities: ["TEXT", "IMAGE"]`, `candidateCount` for n, and the size
// as the nearest aspect ratio Gemini offers (`imageConfig.aspectRatio`).
import type { ImageRequest } from './image-request.ts';

/** The aspect ratios Gemini image models accept. */
export const geminiAspectRatios = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;

/** The accepted ratio nearest to WIDTHxHEIGHT (compared on a log scale, so 2:1 and 1:2 are equally far from 1:1). */
export function nearestAspectRatio(size: string): string | undefined {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return undefined;
  const wanted = Math.log(Number(match[1]) / Number(match[2]));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const ratio of geminiAspectRatios) {
    const [width, height] = ratio.split(':').map(Number) as [number, number];
    const distance = Math.abs(Math.log(width / height) - wanted);
    if (distance < bestDistance) {
      best = ratio;
      bestDistance = distance;
    }
  }
  return best;
}

export function encodeGeminiImageRequest(request: ImageRequest): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const aspectRatio = request.size && request.size !== 'auto' ? nearestAspectRatio(request.size) : undefined;
  if (request.quality !== undefined) warnings.push(`"quality" ${request.quality} has no Gemini equivalent and was not sent`);
  const generationConfig: Record<string, unknown> = { responseModalities: ['TEXT', 'IMAGE'] };
  if (request.n > 1) generationConfig.candidateCount = request.n;
  if (aspectRatio) generationConfig.imageConfig = { aspectRatio };
  return { body: { contents: [{ role: 'user', parts: [{ text: request.prompt }] }], generationConfig }, warnings };
}
