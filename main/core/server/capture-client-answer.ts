// What the client got, for the request log: every write and the end of the answer pass through a bounded copy
// (main/core/usage/request-log/), and the status and headers are taken when it ends. Installed only while the log is
// capturing this request; otherwise the response is left untouched.
import type { ServerResponse } from 'node:http';
import type { RequestCapture } from '../usage/request-log/request-capture.ts';

type Chunk = string | Buffer | Uint8Array;

function isChunk(value: unknown): value is Chunk {
  return typeof value === 'string' || value instanceof Uint8Array;
}

type Headers = Record<string, string | string[] | number | undefined>;

/** writeHead's headers as an object (it also takes a flat [name, value, ...] array). */
function headersOf(value: unknown): Headers {
  if (Array.isArray(value)) {
    const headers: Headers = {};
    for (let index = 0; index + 1 < value.length; index += 2) headers[String(value[index]).toLowerCase()] = String(value[index + 1]);
    return headers;
  }
  return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value as Headers).map(([name, text]) => [name.toLowerCase(), text])) : {};
}

export function captureClientAnswer(response: ServerResponse, capture: RequestCapture): void {
  const write = response.write;
  const end = response.end;
  const writeHead = response.writeHead;
  // Headers given to writeHead are not kept where getHeaders() finds them: take them on the way.
  let written: Headers = {};
  response.writeHead = function capturedWriteHead(this: ServerResponse, ...args: unknown[]) {
    written = headersOf(typeof args[1] === 'string' ? args[2] : args[1]);
    return (writeHead as (...args: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  response.write = function capturedWrite(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (isChunk(chunk)) capture.clientBytes(chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  response.end = function capturedEnd(this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (isChunk(chunk)) capture.clientBytes(chunk);
    const headers: Headers = { ...(this.getHeaders() as Headers), ...written };
    capture.answered(this.statusCode, headers, /event-stream|ndjson/.test(String(headers['content-type'] ?? '')));
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}
