// The facade's contract with the pipeline: model placement, streaming flags, 400s for malformed bodies (named
// field, request scope), warnings, and the count_tokens estimate.
import { describe, expect, it } from 'vitest';
import { wireFormats, type WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError, isProxyError } from '../errors/proxy-error.ts';
import { charactersPerToken, estimateInputTokens, tokensPerMedia, tokensPerMessage } from './estimate-tokens.ts';
import { createStreamTranslator, translateRequest } from './translator.ts';

const simple: Record<WireFormat, Record<string, unknown>> = {
  anthropic: { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hello there' }] },
  'openai-chat': { model: 'gpt', messages: [{ role: 'user', content: 'hello there' }], stream: true, stream_options: { include_usage: true } },
  'openai-responses': { model: 'gpt', input: 'hello there' },
  gemini: { contents: [{ role: 'user', parts: [{ text: 'hello there' }] }] },
};

function expectBadRequest(run: () => unknown, field: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(isProxyError(error)).toBe(true);
    if (!isProxyError(error)) return;
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.scope).toBe('request');
    expect(error.message).toMatch(field);
    return;
  }
  throw new Error('expected a 400');
}

describe('translateRequest', () => {
  it.each(wireFormats.flatMap((from) => wireFormats.map((to) => [from, to] as const)))('%s -> %s places the model and stream flag where the upstream expects them', (from, to) => {
    for (const stream of [true, false]) {
      const { body, context } = translateRequest({ from, to, body: simple[from], upstreamModel: 'upstream-model', clientModel: 'client-model', stream });
      if (to === 'gemini') {
        expect(body.model).toBeUndefined();
        expect(body.stream).toBeUndefined();
      } else {
        expect(body.model).toBe('upstream-model');
        expect(body.stream).toBe(stream);
      }
      if (to === 'openai-chat') expect(body.stream_options).toEqual(stream ? { include_usage: true } : undefined);
      expect(context).toMatchObject({ client: from, upstream: to, clientModel: 'client-model', upstreamModel: 'upstream-model', stream });
      expect(context.includeUsage).toBe(from === 'openai-chat');
    }
  });

  const malformed: [WireFormat, Record<string, unknown>, RegExp][] = [
    ['anthropic', { messages: 'hi' }, /messages must be an array/],
    ['anthropic', { messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }, /messages\[0\]\.content\[0\]\.tool_use_id/],
    ['anthropic', { messages: [{ role: 'robot', content: 'x' }] }, /messages\[0\]\.role/],
    ['anthropic', { messages: [{ role: 'assistant', content: [{ type: 'tool_use', name: 'f', input: {} }] }] }, /content\[0\]\.id/],
    ['openai-chat', { messages: [{ role: 'tool', content: 'x' }] }, /messages\[0\]\.tool_call_id/],
    ['openai-chat', {}, /messages must be an array/],
    ['openai-chat', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] }, /image_url\.url/],
    ['openai-responses', { input: 5 }, /input must be an array/],
    ['openai-responses', { input: [{ type: 'function_call_output', output: 'x' }] }, /input\[0\]\.call_id/],
    ['openai-responses', { input: 'x', previous_response_id: 'resp_1' }, /previous_response_id/],
    ['gemini', { contents: {} }, /contents must be an array/],
    ['gemini', { contents: [{ role: 'user' }] }, /contents\[0\]\.parts/],
    ['gemini', { contents: [{ role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] }] }, /answers no functionCall named "f"/],
  ];
  it.each(malformed)('rejects a malformed %s body with a 400 naming the field (%#)', (from, body, field) => {
    const to: WireFormat = from === 'anthropic' ? 'openai-chat' : 'anthropic';
    expectBadRequest(() => translateRequest({ from, to, body, upstreamModel: 'm', clientModel: 'm', stream: false }), field);
  });

  it('reports what it dropped, once per kind', () => {
    const body = { ...simple.anthropic, top_k: 5, tools: [{ type: 'web_search_20250305', name: 'web_search' }, { type: 'web_search_20250305', name: 'web_search' }] };
    const { warnings } = translateRequest({ from: 'anthropic', to: 'openai-chat', body, upstreamModel: 'gpt-4.1', clientModel: 'c', stream: false });
    expect(warnings).toEqual(['The anthropic tool web_search_20250305 has no OpenAI Chat equivalent; dropped.', 'top_k has no OpenAI equivalent; dropped.']);
  });
});

describe('estimateInputTokens', () => {
  it('counts about four characters per token plus message framing', () => {
    const text = 'x'.repeat(400);
    for (const format of wireFormats) {
      const body = format === 'anthropic' ? { messages: [{ role: 'user', content: text }] } : format === 'openai-chat' ? { messages: [{ role: 'user', content: text }] } : format === 'openai-responses' ? { input: text } : { contents: [{ parts: [{ text }] }] };
      expect(estimateInputTokens(format, body)).toBe(400 / charactersPerToken + tokensPerMessage);
    }
  });

  it('adds a fixed cost per image and counts tools and system text', () => {
    const body = {
      system: 'be brief',
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }, { type: 'text', text: 'what is this?' }] }],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
    };
    const estimate = estimateInputTokens('anthropic', body);
    expect(estimate).toBeGreaterThan(tokensPerMedia);
    expect(estimate).toBeLessThan(tokensPerMedia + 40);
  });

  it('reads a Gemini countTokens body that wraps a generateContentRequest', () => {
    expect(estimateInputTokens('gemini', { generateContentRequest: { contents: [{ parts: [{ text: 'abcd' }] }] } })).toBe(1 + tokensPerMessage);
  });
});

describe('createStreamTranslator: upstreamError', () => {
  const context = () => translateRequest({ from: 'anthropic', to: 'openai-chat', body: simple.anthropic, upstreamModel: 'gpt', clientModel: 'claude', stream: true }).context;

  it('is the first error the upstream sent in its stream, as the decoder read it', () => {
    const translator = createStreamTranslator({ from: 'openai-chat', to: 'anthropic', context: context() });
    translator.push(Buffer.from('data: {"id":"c","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'));
    expect(translator.upstreamError()).toBeUndefined();
    const out = translator.push(Buffer.from('data: {"error":{"message":"quota gone","code":429}}\n\ndata: {"error":{"message":"second"}}\n\n'));
    expect(out).toContain('event: error');
    expect(translator.upstreamError()).toEqual({ status: 429, message: 'quota gone' });
  });

  it('is undefined when Switchyard itself ends the stream with an error', () => {
    const translator = createStreamTranslator({ from: 'openai-chat', to: 'anthropic', context: context() });
    translator.push(Buffer.from('data: {"id":"c","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'));
    const out = translator.fail(new ProxyError({ code: 'timeout', status: 504, message: 'idle', scope: 'provider' }));
    expect(out).toContain('event: error');
    expect(translator.upstreamError()).toBeUndefined();
  });
});
