import { describe, expect, it } from 'vitest';
import { toNativeChatRequest } from './native-request.ts';
import { toChatCompletion } from './native-response.ts';
import { createNdjsonToChatStream } from './native-stream.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- chunks are checked field by field below
type Chunk = Record<string, any>;

function events(sse: string): Array<Chunk | '[DONE]'> {
  return sse
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice(6))
    .map((data) => (data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as Chunk)));
}

describe('OpenAI Chat -> Ollama /api/chat', () => {
  it('maps sampling options, stop, response_format, reasoning and images', () => {
    const native = toNativeChatRequest(
      {
        model: 'ignored',
        max_completion_tokens: 300,
        top_p: 0.9,
        seed: 7,
        stop: 'END',
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
        reasoning_effort: 'high',
        messages: [
          { role: 'developer', content: 'rules' },
          { role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
        ],
      },
      { model: 'llava:7b', stream: true, numCtx: 8192 },
    );
    expect(native).toEqual({
      model: 'llava:7b',
      stream: true,
      think: true,
      format: { type: 'object' },
      options: { top_p: 0.9, seed: 7, num_predict: 300, stop: ['END'], num_ctx: 8192 },
      messages: [
        { role: 'system', content: 'rules' },
        { role: 'user', content: 'what is this?', images: ['iVBORw0KGgo='] },
      ],
    });
  });

  it('always says whether to stream (Ollama streams by default)', () => {
    expect(toNativeChatRequest({ messages: [] }, { model: 'm', stream: false }).stream).toBe(false);
    expect(toNativeChatRequest({ messages: [], reasoning_effort: 'none' }, { model: 'm', stream: false }).think).toBe(false);
  });
});

describe('Ollama answers -> OpenAI Chat', () => {
  it('a complete answer with thinking and tool calls', () => {
    const completion = toChatCompletion({
      model: 'qwen3:8b',
      created_at: '2026-08-01T12:00:00Z',
      message: { role: 'assistant', content: '', thinking: 'need weather', tool_calls: [{ function: { name: 'weather', arguments: { city: 'Oslo' } } }] },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 20,
      eval_count: 5,
    });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      created: Date.parse('2026-08-01T12:00:00Z') / 1000,
      model: 'qwen3:8b',
      choices: [{ finish_reason: 'tool_calls', message: { role: 'assistant', reasoning_content: 'need weather', tool_calls: [{ type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] } }],
      usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
    });
    expect((completion.choices as Chunk[])[0]!.message.tool_calls[0].id).toMatch(/^call_/);
  });

  it('done_reason "length" is finish_reason "length"', () => {
    expect((toChatCompletion({ message: { content: 'x' }, done: true, done_reason: 'length' }).choices as Chunk[])[0]!.finish_reason).toBe('length');
  });
});

describe('NDJSON stream -> OpenAI SSE', () => {
  const lines = [
    '{"model":"m","created_at":"2026-08-01T12:00:00Z","message":{"role":"assistant","content":"","thinking":"hmm"},"done":false}\n',
    '{"model":"m","created_at":"2026-08-01T12:00:00Z","message":{"role":"assistant","content":"Hel"},"done":false}\n',
    '{"model":"m","created_at":"2026-08-01T12:00:00Z","message":{"role":"assistant","content":"lo"},"done":false}\n',
    '{"model":"m","created_at":"2026-08-01T12:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":3,"eval_count":2}\n',
  ];

  it('handles lines split anywhere across chunks', () => {
    const whole = lines.join('');
    for (const size of [1, 7, 64, whole.length]) {
      const decoder = createNdjsonToChatStream({ includeUsage: true });
      let out = '';
      for (let index = 0; index < whole.length; index += size) out += decoder.push(Buffer.from(whole.slice(index, index + size)));
      out += decoder.end();
      const parsed = events(out);
      expect(parsed.at(-1)).toBe('[DONE]');
      const deltas = parsed.filter((event): event is Chunk => event !== '[DONE]' && event.choices?.length > 0).map((event) => event.choices[0].delta);
      expect(deltas[0]).toEqual({ role: 'assistant', content: '' });
      expect(deltas.map((delta) => delta.content ?? '').join('')).toBe('Hello');
      expect(deltas.some((delta) => delta.reasoning_content === 'hmm')).toBe(true);
      const usage = parsed.find((event): event is Chunk => event !== '[DONE]' && Array.isArray(event.choices) && event.choices.length === 0);
      expect(usage?.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    }
  });

  it('without include_usage no usage chunk is sent', () => {
    const decoder = createNdjsonToChatStream({ includeUsage: false });
    const out = decoder.push(Buffer.from(lines.join(''))) + decoder.end();
    expect(events(out).some((event) => event !== '[DONE]' && event.choices?.length === 0)).toBe(false);
  });

  it('an upstream that ends without done ends with an error event, never a silent stop', () => {
    const decoder = createNdjsonToChatStream({ includeUsage: false });
    const out = decoder.push(Buffer.from(lines[1]!)) + decoder.end();
    const last = events(out).at(-1) as Chunk;
    expect(last.error.message).toMatch(/ended before the answer was complete/);
  });
});
