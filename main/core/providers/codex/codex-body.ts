import { SseParser } from '../../formats/sse/sse-parser.ts';
import { ProxyError } from '../../errors/proxy-error.ts';
import type { ErrorContext } from '../provider-adapter.ts';
import { classifyOpenaiError } from '../common/openai-style.ts';

// The ChatGPT Codex backend's body rules (observed in public Codex clients and routers; docs/accounts.md): it only
// streams, stores nothing, needs `instructions`, refuses sampling and length parameters and previous_response_id,
// and hands reasoning back encrypted so the next turn can replay it without server-side state.
const refusedFields = ['previous_response_id', 'temperature', 'top_p', 'max_output_tokens', 'max_tokens', 'max_completion_tokens'] as const;
const encryptedReasoning = 'reasoning.encrypted_content';

/** A Responses request as the Codex backend takes it. */
export function toCodexBody(body: Buffer): Buffer {
  const request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  for (const field of refusedFields) delete request[field];
  request.stream = true;
  request.store = false;
  if (typeof request.instructions !== 'string') request.instructions = '';
  const include = Array.isArray(request.include) ? (request.include as unknown[]).filter((entry) => typeof entry === 'string') : [];
  if (!include.includes(encryptedReasoning)) include.push(encryptedReasoning);
  request.include = include;
  return Buffer.from(JSON.stringify(request));
}

interface ResponsesEvent {
  type?: string;
  response?: { output?: unknown[]; error?: { code?: string; message?: string } } & Record<string, unknown>;
  item?: unknown;
  output_index?: number;
  code?: string;
  message?: string;
}

function events(body: Buffer): ResponsesEvent[] {
  const parser = new SseParser();
  const parsed: ResponsesEvent[] = [];
  for (const event of [...parser.push(body), ...parser.end()]) {
    if (event.data === '[DONE]') continue;
    try {
      parsed.push(JSON.parse(event.data) as ResponsesEvent);
    } catch {
      // Not JSON: nothing in it for the collected answer.
    }
  }
  return parsed;
}

/**
 * A whole Codex stream collected into the one Responses object a non-streaming client expects: the final
 * `response.completed` object, with the output items from `response.output_item.done` when it carries none.
 */
export function collectCodexStream(body: Buffer): Buffer {
  let completed: ResponsesEvent['response'] | undefined;
  const items: Array<{ index: number; item: unknown }> = [];
  for (const event of events(body)) {
    if (event.type === 'response.output_item.done' && event.item !== undefined) items.push({ index: event.output_index ?? items.length, item: event.item });
    if ((event.type === 'response.completed' || event.type === 'response.done' || event.type === 'response.incomplete') && event.response) completed = event.response;
  }
  if (!completed) {
    throw new ProxyError({ code: 'upstream_error', status: 502, scope: 'provider', retryable: true, message: 'codex: the stream ended without a completed response' });
  }
  const output = Array.isArray(completed.output) && completed.output.length > 0 ? completed.output : items.sort((a, b) => a.index - b.index).map((entry) => entry.item);
  return Buffer.from(JSON.stringify({ ...completed, object: 'response', output }));
}

const failureNeedles = [Buffer.from('response.failed'), Buffer.from('"type":"error"')];
const statusByCode: Record<string, number> = {
  usage_limit_reached: 429,
  rate_limit_exceeded: 429,
  context_length_exceeded: 400,
  invalid_prompt: 400,
  server_is_overloaded: 503,
};

/** A failure the backend reported inside its 200 stream (response.failed / error), as the error it stands for. */
export function codexErrorInStream(body: Buffer, context: ErrorContext): ProxyError | undefined {
  if (!failureNeedles.some((needle) => body.indexOf(needle) !== -1)) return undefined;
  for (const event of events(body)) {
    const failure = event.type === 'response.failed' ? event.response?.error : event.type === 'error' ? { code: event.code, message: event.message } : undefined;
    if (!failure) continue;
    const code = failure.code ?? 'server_error';
    return classifyOpenaiError({ status: statusByCode[code] ?? 502, headers: {}, body: JSON.stringify({ error: { type: code, code, message: failure.message ?? code } }) }, context);
  }
  return undefined;
}
