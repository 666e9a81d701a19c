import { describe, expect, it } from 'vitest';
import { Warnings } from '../canonical/warnings.ts';
import { ChatStreamDecoder } from './decode-stream.ts';

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ data: JSON.stringify({ id: 'c', choices: [{ index: 0, delta, finish_reason: finish }] }) });

describe('ChatStreamDecoder', () => {
  it('tells apart parallel calls that OpenAI-compatible servers send without an index', () => {
    const decoder = new ChatStreamDecoder(new Warnings());
    const events = [
      chunk({ tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }] }),
      chunk({ tool_calls: [{ id: 'call_b', type: 'function', function: { name: 'g', arguments: '{"y":' } }] }),
      chunk({ tool_calls: [{ function: { arguments: '2}' } }] }),
      chunk({}, 'tool_calls'),
      { data: '[DONE]' },
    ].flatMap((event) => decoder.event(event));
    const calls = events.flatMap((event) => (event.type === 'block_start' && event.block.kind === 'tool_call' ? [[event.block.id, event.block.name]] : []));
    expect(calls).toEqual([['call_a', 'f'], ['call_b', 'g']]);
    const args = events.flatMap((event) => (event.type === 'tool_arguments_delta' ? [[event.index, event.json]] : []));
    expect(args).toEqual([[0, '{"x":1}'], [1, '{"y":'], [1, '2}']]);
    expect(events.at(-1)).toEqual({ type: 'message_stop', stopReason: 'tool_use' });
  });

  it('reads reasoning_content and the usage chunk, and stops at [DONE]', () => {
    const decoder = new ChatStreamDecoder(new Warnings());
    const events = [chunk({ reasoning_content: 'hmm' }), chunk({ content: 'ok' }, 'stop'), { data: JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }) }, { data: '[DONE]' }].flatMap((event) => decoder.event(event));
    expect(events.map((event) => event.type)).toEqual(['message_start', 'block_start', 'reasoning_delta', 'block_stop', 'block_start', 'text_delta', 'usage', 'block_stop', 'message_stop']);
  });
});
