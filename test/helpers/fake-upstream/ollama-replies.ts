import type { FakeReply } from './reply.ts';
import { defaultText, defaultUsage, splitText } from './reply.ts';

// Ollama's native /api/chat answers (docs/wire-formats.md, Ollama, ollama docs/api.md): one JSON object, or NDJSON lines ending
// with `done: true` and the token counts. Tool-call arguments are objects and come without ids.

type Ok = Extract<FakeReply, { kind: 'text' | 'tool' }>;
const createdAt = '2026-08-01T12:00:00.000Z';

function finalLine(reply: Ok, model: string): Record<string, unknown> {
  const usage = reply.usage ?? defaultUsage;
  return {
    model,
    created_at: createdAt,
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 1_000_000,
    prompt_eval_count: usage.input,
    eval_count: usage.output,
  };
}

function toolCalls(reply: Ok) {
  return reply.kind === 'tool' ? reply.calls.map((call) => ({ function: { name: call.name, arguments: call.input } })) : undefined;
}

export function ollamaChat(reply: Ok, model: string): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: reply.kind === 'text' ? (reply.text ?? defaultText) : (reply.text ?? '') };
  const calls = toolCalls(reply);
  if (calls) message.tool_calls = calls;
  return { ...finalLine(reply, model), message };
}

export function ollamaStream(reply: Ok, model: string): string[] {
  const lines: string[] = [];
  const line = (message: Record<string, unknown>) => `${JSON.stringify({ model, created_at: createdAt, message: { role: 'assistant', ...message }, done: false })}\n`;
  if (reply.kind === 'text') for (const piece of splitText(reply.text ?? defaultText, reply.chunks ?? 3)) lines.push(line({ content: piece }));
  else {
    if (reply.text) lines.push(line({ content: reply.text }));
    lines.push(line({ content: '', tool_calls: toolCalls(reply) }));
  }
  lines.push(`${JSON.stringify(finalLine(reply, model))}\n`);
  return lines;
}

export function ollamaError(message: string): Record<string, unknown> {
  return { error: message };
}
