import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlService } from './control-service.ts';

const heartbeatMs = 20_000;

/**
 * Server-sent events for the web dashboard: each contract event as `event: <name>` with its JSON payload. The page
 * reads the stream with fetch (EventSource cannot send the Authorization header). A comment line every 20 s keeps
 * idle proxies from closing it. Returns the function that ends the stream.
 */
export function openEventStream(request: IncomingMessage, response: ServerResponse, control: ControlService): () => void {
  request.resume();
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  response.write('retry: 3000\n\n');
  const unsubscribe = control.subscribe((event, payload) => {
    if (!response.writableEnded) response.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  const heartbeat = setInterval(() => {
    if (!response.writableEnded) response.write(': keep-alive\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    if (!response.writableEnded) response.end();
  };
  response.on('close', end);
  control.refresh();
  return end;
}
