import type { FakeReply, FakeUsage } from './reply.ts';
import { defaultText, defaultUsage, splitText, sse } from './reply.ts';

// Gemini generateContent answers (docs/wire-formats.md, Gemini API, @google/genai types).

type Ok = Extract<FakeReply, { kind: 'text' | 'tool' }>;

function usageMetadata(usage: FakeUsage) {
  return {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output,
    totalTokenCount: usage.input + usage.output + (usage.reasoning ?? 0),
    ...(usage.cacheRead ? { cachedContentTokenCount: usage.cacheRead } : {}),
    ...(usage.reasoning ? { thoughtsTokenCount: usage.reasoning } : {}),
  };
}

function parts(reply: Ok): Array<Record<string, unknown>> {
  if (reply.kind === 'text') return [{ text: reply.text ?? defaultText }];
  return [...(reply.text ? [{ text: reply.text }] : []), ...reply.calls.map((call) => ({ functionCall: { name: call.name, args: call.input } }))];
}

export function geminiResponse(reply: Ok, model: string): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts: parts(reply) }, finishReason: 'STOP', index: 0 }],
    usageMetadata: usageMetadata(reply.usage ?? defaultUsage),
    modelVersion: model,
    responseId: 'fake-response',
  };
}

export function geminiStream(reply: Ok, model: string): string[] {
  const usage = reply.usage ?? defaultUsage;
  const chunk = (chunkParts: unknown[], last: boolean) =>
    sse({
      candidates: [{ content: { role: 'model', parts: chunkParts }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }],
      usageMetadata: last ? usageMetadata(usage) : { promptTokenCount: usage.input, totalTokenCount: usage.input },
      modelVersion: model,
      responseId: 'fake-response',
    });
  if (reply.kind === 'tool') {
    const events = reply.text ? [chunk([{ text: reply.text }], false)] : [];
    events.push(chunk(reply.calls.map((call) => ({ functionCall: { name: call.name, args: call.input } })), true));
    return events;
  }
  const pieces = splitText(reply.text ?? defaultText, reply.chunks ?? 3);
  return pieces.map((piece, index) => chunk([{ text: piece }], index === pieces.length - 1));
}

export function geminiError(status: number, message: string, type?: string): Record<string, unknown> {
  const byStatus: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };
  return { error: { code: status, message, status: type ?? byStatus[status] ?? 'INTERNAL' } };
}
