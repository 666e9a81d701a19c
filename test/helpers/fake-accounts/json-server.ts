import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VendorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** JSON or form body, as an object. */
  body: Record<string, unknown>;
  contentType: string;
}

export interface VendorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface JsonServer {
  url: string;
  requests: VendorRequest[];
  close(): Promise<void>;
}

/** A small HTTP server on 127.0.0.1:0 for the fake vendors' OAuth endpoints: JSON and form bodies, JSON answers. */
export async function startJsonServer(route: (request: VendorRequest) => VendorReply | Promise<VendorReply>): Promise<JsonServer> {
  const requests: VendorRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const contentType = request.headers['content-type'] ?? '';
      let body: Record<string, unknown> = {};
      try {
        if (contentType.includes('application/x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(text));
        else if (text.length > 0) body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { unparsable: text };
      }
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const recorded: VendorRequest = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers, body, contentType };
      requests.push(recorded);
      Promise.resolve(route(recorded)).then(
        (reply) => {
          response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          response.end(JSON.stringify(reply.body));
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: String(error) }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A JWT as the vendors issue them (header.payload.signature); the signature is a fake, marked as such. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.fake-signature`;
}
