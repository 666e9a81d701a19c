import { describe, expect, it } from 'vitest';
import { codeAssistWire, createUnwrappingStream, toEnvelope, withProject } from './code-assist-envelope.ts';

const body = Buffer.from(JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { temperature: 0.2 } }));

describe('the Code Assist envelope', () => {
  it('wraps a generate request as {project, model, request}; the project is spliced in per account', () => {
    const envelope = toEnvelope(body, { model: 'gemini-2.5-pro', operation: 'generate' });
    expect(JSON.parse(envelope.toString())).toEqual({ model: 'gemini-2.5-pro', request: JSON.parse(body.toString()) });
    expect(JSON.parse(withProject(envelope, 'my-project-123').toString())).toEqual({ project: 'my-project-123', model: 'gemini-2.5-pro', request: JSON.parse(body.toString()) });
    // A project with characters JSON must escape stays one string.
    expect(JSON.parse(withProject(envelope, 'odd"project').toString()).project).toBe('odd"project');
  });

  it('wraps a count as {request: {model: "models/…", contents}}, from contents or a whole generateContentRequest, without a project', () => {
    const plain = toEnvelope(body, { model: 'gemini-2.5-flash', operation: 'countTokens' });
    expect(JSON.parse(plain.toString())).toEqual({ request: { model: 'models/gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } });
    const nested = toEnvelope(Buffer.from(JSON.stringify({ generateContentRequest: { model: 'models/x', contents: [{ parts: [{ text: 'n' }] }] } })), { model: 'gemini-2.5-flash', operation: 'countTokens' });
    expect(JSON.parse(nested.toString()).request.contents).toEqual([{ parts: [{ text: 'n' }] }]);
    expect(withProject(plain, 'my-project-123')).toBe(plain);
  });

  it('unwraps a whole answer, reads its usage inside the wrapper, and leaves a non-envelope as it is', () => {
    const answer = { response: { candidates: [{ content: { parts: [{ text: 'ok' }] } }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 } }, traceId: 't' };
    expect(JSON.parse(codeAssistWire.decodeResponse(Buffer.from(JSON.stringify(answer))).toString())).toEqual(answer.response);
    expect(codeAssistWire.usage.fromBody(answer)).toMatchObject({ inputTokens: 3, outputTokens: 2 });
    expect(codeAssistWire.decodeResponse(Buffer.from('not json')).toString()).toBe('not json');
    expect(JSON.parse(codeAssistWire.decodeResponse(Buffer.from('{"candidates":[]}')).toString())).toEqual({ candidates: [] });
  });

  it('unwraps every SSE event the same however the stream is split, CRLF or LF, and the last event without a blank line', () => {
    const events = [
      { response: { candidates: [{ content: { parts: [{ text: 'Hé' }] } }] }, traceId: 'a' },
      { response: { candidates: [{ content: { parts: [{ text: 'llo 👋' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2 } }, traceId: 'a' },
    ];
    const wire = Buffer.from(`data: ${JSON.stringify(events[0])}\r\n\r\n: a comment\n\ndata: ${JSON.stringify(events[1])}\n`);
    const expected = events.map((event) => `data: ${JSON.stringify(event.response)}\n\n`).join('');
    for (let split = 0; split <= wire.length; split += 1) {
      const stream = createUnwrappingStream();
      const out = stream.push(wire.subarray(0, split)) + stream.push(wire.subarray(split)) + stream.end();
      expect(out, `split at ${split}`).toBe(expected);
    }
    const reader = codeAssistWire.usage.createStreamReader();
    for (let index = 0; index < wire.length; index += 7) reader.push(wire.subarray(index, index + 7));
    expect(reader.usage()).toMatchObject({ inputTokens: 4, outputTokens: 2 });
  });
});
