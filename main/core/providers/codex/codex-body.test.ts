import { describe, expect, it } from 'vitest';
import { codexErrorInStream, collectCodexStream, toCodexBody } from './codex-body.ts';

const sse = (type: string, payload: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;

describe('the Codex backend body rules', () => {
  it('streams, stores nothing, keeps instructions, asks for encrypted reasoning and drops what the backend refuses', () => {
    const body = JSON.parse(
      toCodexBody(Buffer.from(JSON.stringify({ model: 'gpt-5-codex', input: 'hi', stream: false, store: true, previous_response_id: 'resp_1', temperature: 0.3, top_p: 0.8, max_output_tokens: 99, include: ['message.output_text.logprobs'] }))).toString(),
    ) as Record<string, unknown>;
    expect(body).toEqual({ model: 'gpt-5-codex', input: 'hi', stream: true, store: false, instructions: '', include: ['message.output_text.logprobs', 'reasoning.encrypted_content'] });
  });

  it('keeps given instructions and does not repeat the include', () => {
    const body = JSON.parse(toCodexBody(Buffer.from(JSON.stringify({ instructions: 'Be brief.', include: ['reasoning.encrypted_content'] }))).toString()) as Record<string, unknown>;
    expect(body).toMatchObject({ instructions: 'Be brief.', include: ['reasoning.encrypted_content'] });
  });
});

describe('collecting a Codex stream for a non-streaming client', () => {
  const message = { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Hi.' }] };
  it('takes the completed response, filling its output from the finished items when it has none', () => {
    const stream = [sse('response.created', { response: { id: 'resp_1', output: [] } }), sse('response.output_item.done', { output_index: 0, item: message }), sse('response.completed', { response: { id: 'resp_1', status: 'completed', output: [], usage: { input_tokens: 3 } } })].join('');
    expect(JSON.parse(collectCodexStream(Buffer.from(stream)).toString())).toEqual({ id: 'resp_1', object: 'response', status: 'completed', output: [message], usage: { input_tokens: 3 } });
  });
  it('a stream without a completed response is an upstream error', () => {
    expect(() => collectCodexStream(Buffer.from(sse('response.created', { response: { id: 'r' } })))).toThrow(/without a completed response/);
  });
  it('a failure reported inside the 200 stream becomes the error it stands for', () => {
    const failed = sse('response.failed', { response: { id: 'r', error: { code: 'usage_limit_reached', message: 'limit reached' } } });
    expect(codexErrorInStream(Buffer.from(failed), { providerId: 'codex', now: 0 })).toMatchObject({ status: 429, code: 'quota_exhausted', scope: 'key' });
    expect(codexErrorInStream(Buffer.from(sse('response.completed', { response: {} })), { providerId: 'codex', now: 0 })).toBeUndefined();
  });
});
