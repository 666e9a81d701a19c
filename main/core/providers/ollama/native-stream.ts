import { randomUUID } from 'node:crypto';
import { createdSeconds, finishReason, toOpenaiToolCalls, usageOf } from './native-response.ts';
import { isRecord } from '../../../../shared/is-record.ts';

// Ollama's NDJSON chat stream -> OpenAI Chat Completions SSE (`data: {chunk}` ... `data: [DONE]`), chunk by chunk.
// Lines can be split across network chunks, so bytes are buffered up to the next newline. A line with `error`
// becomes an OpenAI stream error event; a stream that ends without `done` ends with one too, so the client never
// mistakes a cut-off answer for a complete one.

type Json = Record<string, unknown>;


const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

export function createNdjsonToChatStream(options: { includeUsage: boolean }): { push(chunk: Buffer): string; end(): string } {
  const id = `chatcmpl-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  let pending = '';
  let started = false;
  let finished = false;
  let toolIndex = 0;
  let sawToolCalls = false;
  let created = Math.floor(Date.now() / 1000);
  let model = '';

  const chunk = (delta: Json, finish: string | null = null) =>
    sse({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });

  function line(text: string): string {
    if (finished || text.trim() === '') return '';
    let answer: Json;
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isRecord(parsed)) return '';
      answer = parsed;
    } catch {
      return '';
    }
    if (answer.error !== undefined) {
      finished = true;
      const message = typeof answer.error === 'string' ? answer.error : JSON.stringify(answer.error);
      return sse({ error: { message: `ollama: ${message}`, type: 'server_error', param: null, code: 'upstream_error' } });
    }
    let out = '';
    if (!started) {
      started = true;
      created = createdSeconds(answer);
      model = String(answer.model ?? '');
      out += chunk({ role: 'assistant', content: '' });
    }
    const message = isRecord(answer.message) ? answer.message : {};
    if (typeof message.thinking === 'string' && message.thinking !== '') out += chunk({ reasoning_content: message.thinking });
    if (typeof message.content === 'string' && message.content !== '') out += chunk({ content: message.content });
    const calls = toOpenaiToolCalls(message.tool_calls);
    if (calls.length > 0) {
      sawToolCalls = true;
      out += chunk({ tool_calls: calls.map((call) => ({ index: toolIndex++, ...call })) });
    }
    if (answer.done === true) {
      finished = true;
      out += chunk({}, finishReason(answer.done_reason, sawToolCalls));
      if (options.includeUsage) out += sse({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(answer) });
      out += 'data: [DONE]\n\n';
    }
    return out;
  }

  return {
    push(bytes) {
      pending += bytes.toString('utf8');
      let out = '';
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        out += line(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      return out;
    },
    end() {
      let out = pending.trim() === '' ? '' : line(pending);
      pending = '';
      if (!finished) {
        finished = true;
        out += sse({ error: { message: 'ollama: the stream ended before the answer was complete', type: 'server_error', param: null, code: 'upstream_error' } });
      }
      return out;
    },
  };
}
