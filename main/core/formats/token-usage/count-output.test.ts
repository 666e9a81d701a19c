import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../../shared/wire-format.ts';
import { outputCounterFor } from './count-output.ts';

// The same answer in every format: some reasoning, a text in two pieces (with quotes and a non-ASCII letter, so
// escaping cannot inflate the count), and a tool call whose arguments arrive in two fragments (whole in a body).
const reasoning = 'The user wants the weather; call the tool.';
const textParts = ['Checking "Paris" ', 'for you — one moment.'];
const text = textParts.join('');
const argumentParts = ['{"city":', '"Paris","unit":"c"}'];
const toolArguments = argumentParts.join('');
const expected = reasoning.length + text.length + toolArguments.length;

const sse = (data: unknown, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

interface Case {
  stream: string;
  body: unknown;
  /** Where a stream cut by the client ends: after the text, before the tool call. */
  cutBeforeTool: string;
}

function anthropicCase(): Case {
  const events = [
    sse({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'm', usage: { input_tokens: 9, output_tokens: 1 } } }, 'message_start'),
    sse({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }, 'content_block_start'),
    sse({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: reasoning } }, 'content_block_delta'),
    sse({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2lnbmF0dXJl' } }, 'content_block_delta'),
    sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    sse({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    ...textParts.map((part) => sse({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: part } }, 'content_block_delta')),
    sse({ type: 'content_block_stop', index: 1 }, 'content_block_stop'),
  ];
  const tool = [
    sse({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } }, 'content_block_start'),
    ...argumentParts.map((part) => sse({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: part } }, 'content_block_delta')),
    sse({ type: 'content_block_stop', index: 2 }, 'content_block_stop'),
    sse({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 40 } }, 'message_delta'),
    sse({ type: 'message_stop' }, 'message_stop'),
  ];
  return {
    stream: [...events, ...tool].join(''),
    cutBeforeTool: events.join(''),
    body: {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'm', stop_reason: 'tool_use',
      content: [
        { type: 'thinking', thinking: reasoning, signature: 'c2lnbmF0dXJl' },
        { type: 'text', text },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: JSON.parse(toolArguments) },
      ],
    },
  };
}

function chatCase(): Case {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => sse({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
  const events = [chunk({ role: 'assistant', reasoning_content: reasoning }), ...textParts.map((part) => chunk({ content: part }))];
  const tool = [
    chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
    ...argumentParts.map((part) => chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] })),
    chunk({}, 'tool_calls'),
    sse('[DONE]'),
  ];
  return {
    stream: [...events, ...tool].join(''),
    cutBeforeTool: events.join(''),
    body: {
      id: 'c1', object: 'chat.completion',
      choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', reasoning_content: reasoning, content: text, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: toolArguments } }] } }],
    },
  };
}

function responsesCase(): Case {
  const event = (type: string, fields: Record<string, unknown>) => sse({ type, ...fields }, type);
  const events = [
    event('response.created', { response: { id: 'resp_1', status: 'in_progress', usage: null } }),
    event('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } }),
    event('response.reasoning_summary_text.delta', { output_index: 0, summary_index: 0, delta: reasoning }),
    event('response.output_item.done', { output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: reasoning }] } }),
    event('response.output_item.added', { output_index: 1, item: { type: 'message', id: 'msg_1', role: 'assistant', content: [] } }),
    event('response.content_part.added', { output_index: 1, content_index: 0, part: { type: 'output_text', text: '' } }),
    ...textParts.map((part) => event('response.output_text.delta', { output_index: 1, content_index: 0, delta: part })),
    event('response.content_part.done', { output_index: 1, content_index: 0, part: { type: 'output_text', text } }),
    event('response.output_item.done', { output_index: 1, item: { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text }] } }),
  ];
  const call = { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather' };
  const tool = [
    event('response.output_item.added', { output_index: 2, item: { ...call, arguments: '' } }),
    ...argumentParts.map((part) => event('response.function_call_arguments.delta', { output_index: 2, delta: part })),
    event('response.output_item.done', { output_index: 2, item: { ...call, arguments: toolArguments } }),
    event('response.completed', { response: { id: 'resp_1', status: 'completed', usage: null } }),
  ];
  return {
    stream: [...events, ...tool].join(''),
    cutBeforeTool: events.join(''),
    body: {
      id: 'resp_1', object: 'response', status: 'completed',
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: reasoning }] },
        { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text }] },
        { ...call, arguments: toolArguments },
      ],
    },
  };
}

function geminiCase(): Case {
  const chunk = (parts: unknown[], finishReason?: string) => sse({ candidates: [{ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) }] });
  const events = [chunk([{ text: reasoning, thought: true }]), ...textParts.map((part) => chunk([{ text: part }]))];
  // Gemini sends a call whole: its arguments as one object.
  const tool = [chunk([{ functionCall: { name: 'get_weather', args: JSON.parse(toolArguments) } }], 'STOP')];
  return {
    stream: [...events, ...tool].join(''),
    cutBeforeTool: events.join(''),
    body: { candidates: [{ index: 0, finishReason: 'STOP', content: { role: 'model', parts: [{ text: reasoning, thought: true }, { text }, { functionCall: { name: 'get_weather', args: JSON.parse(toolArguments) } }] } }] },
  };
}

const cases: Record<WireFormat, Case> = { anthropic: anthropicCase(), 'openai-chat': chatCase(), 'openai-responses': responsesCase(), gemini: geminiCase() };

function chunked(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return chunks;
}

describe('output characters of an upstream answer (for the ledger estimate)', () => {
  for (const [format, example] of Object.entries(cases) as [WireFormat, Case][]) {
    describe(format, () => {
      const counter = outputCounterFor(format);

      it('a stream counts reasoning, text and tool-call arguments, however it is chunked', () => {
        for (const size of [1, 3, 17, 100_000]) expect(counter.stream(chunked(example.stream, size)).characters, `chunks of ${size}`).toBe(expected);
        // CRLF line ends are the same stream.
        expect(counter.stream([Buffer.from(example.stream.replaceAll('\n', '\r\n'))]).characters).toBe(expected);
      });

      it('a whole answer counts the same parts', () => {
        expect(counter.body(Buffer.from(JSON.stringify(example.body)))).toBe(expected);
      });

      it('a stream cut before its tool call counts what had arrived', () => {
        expect(counter.stream(chunked(example.cutBeforeTool, 5)).characters).toBe(reasoning.length + text.length);
        // Cut in the middle of an event: the half event is not counted.
        const cut = Buffer.from(example.stream);
        const halfway = cut.indexOf(Buffer.from('unit')); // inside the tool call's last event
        const counted = counter.stream([cut.subarray(0, halfway)]).characters;
        expect(counted).toBeGreaterThanOrEqual(reasoning.length + text.length);
        expect(counted).toBeLessThan(expected);
      });

      it('a stream without text counts 0', () => {
        expect(counter.stream([]).characters).toBe(0);
        expect(counter.stream([Buffer.from('data: {"id":"x"}\n\n')]).characters).toBe(0);
      });
    });
  }

  it('Anthropic: says whether an output count came after message_start (a message_delta), not only its placeholder', () => {
    const { stream, cutBeforeTool } = cases.anthropic;
    expect(counterResult('anthropic', stream).closingOutputReported).toBe(true);
    expect(counterResult('anthropic', cutBeforeTool).closingOutputReported).toBe(false);
  });

  it('a body the decoder cannot read throws (the ledger then keeps its old behaviour)', () => {
    expect(() => outputCounterFor('openai-chat').body(Buffer.from('not json'))).toThrow();
  });
});

function counterResult(format: WireFormat, text: string) {
  return outputCounterFor(format).stream([Buffer.from(text)]);
}
