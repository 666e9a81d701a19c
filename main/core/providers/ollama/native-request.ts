// OpenAI Chat Completions request -> Ollama native POST /api/chat (docs/wire-formats.md, Ollama, ollama docs/api.md).
// Differences that matter: tool-call arguments are JSON objects, not strings; images are bare base64 strings on the
// message; sampling settings live under `options`; streaming is on unless `stream: false` is sent.
import { isRecord } from '../../../../shared/is-record.ts';

type Json = Record<string, unknown>;


export interface NativeRequestSettings {
  model: string;
  stream: boolean;
  numCtx?: number;
  keepAlive?: string | number;
}

interface OllamaMessage {
  role: string;
  content: string;
  images?: string[];
  thinking?: string;
  tool_calls?: Array<{ function: { name: string; arguments: unknown } }>;
  tool_name?: string;
}

/** Text of a string or an array of content parts; data: URL images go to `images` (Ollama takes base64 only). */
function splitContent(content: unknown, images: string[]): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') texts.push(part.text);
    const url = isRecord(part.image_url) ? part.image_url.url : undefined;
    if (typeof url === 'string') {
      const match = /^data:[^;,]+;base64,(.*)$/s.exec(url);
      if (match) images.push(match[1]!);
    }
  }
  return texts.join('\n');
}

function parseArguments(text: unknown): unknown {
  if (typeof text !== 'string') return isRecord(text) ? text : {};
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

function convertMessages(messages: unknown): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  const converted: OllamaMessage[] = [];
  for (const message of Array.isArray(messages) ? messages : []) {
    if (!isRecord(message)) continue;
    const images: string[] = [];
    const role = message.role === 'developer' ? 'system' : String(message.role ?? 'user');
    const output: OllamaMessage = { role, content: splitContent(message.content, images) };
    if (images.length > 0) output.images = images;
    if (role === 'assistant') {
      if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') output.thinking = message.reasoning_content;
      const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isRecord) : [];
      if (calls.length > 0) {
        output.tool_calls = calls.map((call) => {
          const fn = isRecord(call.function) ? call.function : {};
          const name = String(fn.name ?? '');
          if (typeof call.id === 'string') toolNames.set(call.id, name);
          return { function: { name, arguments: parseArguments(fn.arguments) } };
        });
      }
    }
    if (role === 'tool' && typeof message.tool_call_id === 'string') {
      const name = toolNames.get(message.tool_call_id);
      if (name) output.tool_name = name;
    }
    converted.push(output);
  }
  return converted;
}

function responseFormat(format: unknown): unknown {
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object') return 'json';
  if (format.type === 'json_schema' && isRecord(format.json_schema) && isRecord(format.json_schema.schema)) return format.json_schema.schema;
  return undefined;
}

/** The native /api/chat body for an OpenAI Chat Completions body. */
export function toNativeChatRequest(body: Json, settings: NativeRequestSettings): Json {
  const options: Json = {};
  const copy = (from: string, to: string) => {
    if (typeof body[from] === 'number') options[to] = body[from];
  };
  copy('temperature', 'temperature');
  copy('top_p', 'top_p');
  copy('seed', 'seed');
  copy('presence_penalty', 'presence_penalty');
  copy('frequency_penalty', 'frequency_penalty');
  copy('max_tokens', 'num_predict');
  copy('max_completion_tokens', 'num_predict');
  if (typeof body.stop === 'string') options.stop = [body.stop];
  else if (Array.isArray(body.stop)) options.stop = body.stop;
  if (settings.numCtx !== undefined) options.num_ctx = settings.numCtx;

  const native: Json = { model: settings.model, messages: convertMessages(body.messages), stream: settings.stream };
  if (Array.isArray(body.tools) && body.tools.length > 0) native.tools = body.tools;
  const format = responseFormat(body.response_format);
  if (format !== undefined) native.format = format;
  if (Object.keys(options).length > 0) native.options = options;
  if (typeof body.reasoning_effort === 'string') native.think = !['none', 'minimal'].includes(body.reasoning_effort);
  if (settings.keepAlive !== undefined) native.keep_alive = settings.keepAlive;
  return native;
}
