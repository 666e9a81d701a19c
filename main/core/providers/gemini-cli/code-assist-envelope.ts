import { StringDecoder } from 'node:string_decoder';
import { usageFromGemini } from '../../formats/gemini/gemini-vocabulary.ts';
import { createUsageReading } from '../../formats/token-usage/create-usage-reading.ts';
import type { UpstreamOperation, WireCodec } from '../provider-adapter.ts';

// Code Assist's envelope around the Gemini API (google-gemini/gemini-cli packages/core/src/code_assist/converter.ts):
// a request goes as {model, project, request: <GenerateContentRequest>}, a count as {request: {model: "models/…",
// contents}}, and every answer (each SSE event when streaming) comes back as {response: <GenerateContentResponse>,
// traceId, …}. The pipeline speaks plain Gemini; this converts at the edge. The project belongs to the account, so
// it is added per send (see withProject), not here.

type Json = Record<string, unknown>;

function parse(body: Buffer): Json {
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {};
}

/** A Gemini request body -> the envelope Code Assist takes for this operation (without the project). */
export function toEnvelope(body: Buffer, options: { model: string; operation?: UpstreamOperation }): Buffer {
  const request = parse(body);
  if (options.operation === 'countTokens') {
    // A Gemini countTokens body holds `contents`, or a whole `generateContentRequest`.
    const nested = request.generateContentRequest as Json | undefined;
    const contents = request.contents ?? nested?.contents ?? [];
    return Buffer.from(JSON.stringify({ request: { model: `models/${options.model}`, contents } }));
  }
  return Buffer.from(JSON.stringify({ model: options.model, request }));
}

/** Adds the account's project to an envelope (it goes first, so this is a byte splice, not a second parse). */
export function withProject(envelope: Buffer, project: string): Buffer {
  if (envelope[0] !== 0x7b || envelope.subarray(0, 11).toString('utf8') === '{"request":') return envelope;
  return Buffer.concat([Buffer.from(`{"project":${JSON.stringify(project)},`), envelope.subarray(1)]);
}

/** One answer (or one event's data) without its wrapper; anything that is not an envelope is left as it is. */
export function unwrapAnswer(answer: unknown): unknown {
  if (typeof answer !== 'object' || answer === null) return answer;
  const inner = (answer as Json).response;
  return typeof inner === 'object' && inner !== null ? inner : answer;
}

/** SSE events of wrapped answers -> SSE events of plain Gemini answers, chunk by chunk (events may split anywhere). */
export function createUnwrappingStream(): { push(chunk: Buffer): string; end(): string } {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let data: string[] = [];
  const emit = (): string => {
    if (data.length === 0) return '';
    const joined = data.join('\n');
    data = [];
    try {
      return `data: ${JSON.stringify(unwrapAnswer(JSON.parse(joined)))}\n\n`;
    } catch {
      return `data: ${joined}\n\n`; // not JSON: passed on, the stream translator reports what it cannot read
    }
  };
  const lines = (text: string, final: boolean): string => {
    pending += text;
    let out = '';
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      else if (line === '') out += emit();
      newline = pending.indexOf('\n');
    }
    if (final) {
      if (pending.startsWith('data:')) data.push(pending.slice(5).trimStart());
      pending = '';
      out += emit();
    }
    return out;
  };
  return { push: (chunk) => lines(decoder.write(chunk), false), end: () => lines(decoder.end(), true) };
}

export const codeAssistWire: WireCodec = {
  encodeRequest: (body, options) => toEnvelope(body, options),
  decodeResponse(body) {
    try {
      return Buffer.from(JSON.stringify(unwrapAnswer(JSON.parse(body.toString('utf8')))));
    } catch {
      return body; // not JSON: the answer's conversion reports it as the provider's fault
    }
  },
  createStreamDecoder: () => createUnwrappingStream(),
  // The usage object sits inside the wrapper; in a stream the key search finds it there all the same.
  usage: createUsageReading({
    key: 'usageMetadata',
    streamReports: 'last-wins',
    toCanonical: usageFromGemini,
    bodyUsage: (body) => (unwrapAnswer(body) as Json).usageMetadata,
  }),
};
