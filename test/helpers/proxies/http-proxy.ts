import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyRecord {
  /** `CONNECT` tunnels (https targets, or any target when the client tunnels) or `forward` (plain http requests). */
  kind: 'CONNECT' | 'forward';
  /** host:port the client asked for. */
  target: string;
  /** The Proxy-Authorization header the client sent, if any. */
  authorization?: string;
}

export interface TestProxy {
  /** The proxy URL to configure, e.g. http://127.0.0.1:12345 (with credentials when the proxy requires them). */
  url: string;
  records: ProxyRecord[];
  close(): Promise<void>;
}

/**
 * A small real HTTP proxy on 127.0.0.1:0 for tests: CONNECT tunnels and absolute-URI forwarding, optionally
 * requiring Basic credentials (407 otherwise). It records what each client asked for, so a test can prove the
 * upstream traffic went through it.
 */
export async function startHttpProxy(options: { username?: string; password?: string } = {}): Promise<TestProxy> {
  const records: ProxyRecord[] = [];
  const sockets = new Set<Socket>();
  const expected = options.username ? `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}` : undefined;
  const authorized = (request: IncomingMessage) => expected === undefined || request.headers['proxy-authorization'] === expected;

  const server: Server = createServer((request, response) => {
    const target = new URL(request.url ?? '/');
    records.push({ kind: 'forward', target: target.host, authorization: request.headers['proxy-authorization'] });
    if (!authorized(request)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: target.hostname, port: target.port || 80, path: `${target.pathname}${target.search}`, method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });

  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    records.push({ kind: 'CONNECT', target: request.url ?? '', authorization: request.headers['proxy-authorization'] });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (!authorized(request)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm="test"\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const credentials = options.username ? `${encodeURIComponent(options.username)}:${encodeURIComponent(options.password ?? '')}@` : '';
  return {
    url: `http://${credentials}127.0.0.1:${port}`,
    records,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
