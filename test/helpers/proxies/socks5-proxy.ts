import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { ProxyRecord, TestProxy } from './http-proxy.ts';

// A small real SOCKS5 proxy (RFC 1928, with RFC 1929 username/password when configured) on 127.0.0.1:0 for tests.
// Only the CONNECT command, with IPv4, IPv6 and domain-name addresses; enough for any HTTP client's tunnel.

const version = 0x05;

/**
 * `connectDelayMs` holds each tunnel's success reply that long: a slow connection setup as the client sees it (the
 * client cannot send before the reply, so its request leaves late), without TLS.
 */
export async function startSocks5Proxy(options: { username?: string; password?: string; connectDelayMs?: number } = {}): Promise<TestProxy> {
  const records: ProxyRecord[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' | 'piping' = 'greeting';

    const fail = (reply: number[]) => {
      client.end(Buffer.from(reply));
    };

    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (stage === 'greeting') {
          if (buffer.length < 2 || buffer.length < 2 + buffer[1]!) return;
          if (buffer[0] !== version) return fail([version, 0xff]);
          const methods = [...buffer.subarray(2, 2 + buffer[1]!)];
          buffer = buffer.subarray(2 + buffer[1]!);
          const wanted = options.username ? 0x02 : 0x00;
          if (!methods.includes(wanted)) return fail([version, 0xff]);
          client.write(Buffer.from([version, wanted]));
          stage = wanted === 0x02 ? 'auth' : 'request';
          continue;
        }
        if (stage === 'auth') {
          if (buffer.length < 2) return;
          const userLength = buffer[1]!;
          if (buffer.length < 3 + userLength) return;
          const passwordLength = buffer[2 + userLength]!;
          if (buffer.length < 3 + userLength + passwordLength) return;
          const username = buffer.subarray(2, 2 + userLength).toString();
          const password = buffer.subarray(3 + userLength, 3 + userLength + passwordLength).toString();
          buffer = buffer.subarray(3 + userLength + passwordLength);
          if (username !== options.username || password !== (options.password ?? '')) return fail([0x01, 0x01]);
          client.write(Buffer.from([0x01, 0x00]));
          stage = 'request';
          continue;
        }
        if (stage === 'request') {
          if (buffer.length < 5) return;
          const type = buffer[3];
          let host: string;
          let end: number;
          if (type === 0x01) {
            end = 4 + 4;
            if (buffer.length < end + 2) return;
            host = [...buffer.subarray(4, end)].join('.');
          } else if (type === 0x03) {
            end = 5 + buffer[4]!;
            if (buffer.length < end + 2) return;
            host = buffer.subarray(5, end).toString();
          } else if (type === 0x04) {
            end = 4 + 16;
            if (buffer.length < end + 2) return;
            host = (buffer.subarray(4, end).toString('hex').match(/.{4}/g) ?? []).join(':');
          } else {
            return fail([version, 0x08, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
          }
          const port = buffer.readUInt16BE(end);
          const rest = buffer.subarray(end + 2);
          if (buffer[1] !== 0x01) return fail([version, 0x07, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
          stage = 'piping';
          records.push({ kind: 'CONNECT', target: `${host}:${port}` });
          client.off('data', onData);
          client.pause();
          const upstream = connect(port, host, () => {
            const open = () => {
              if (client.destroyed) return;
              client.write(Buffer.from([version, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
              if (rest.length > 0) upstream.write(rest);
              upstream.pipe(client);
              client.pipe(upstream);
              client.resume();
            };
            if (options.connectDelayMs) setTimeout(open, options.connectDelayMs);
            else open();
          });
          sockets.add(upstream);
          upstream.on('close', () => sockets.delete(upstream));
          upstream.on('error', () => fail([version, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
          client.on('close', () => upstream.destroy());
          return;
        }
        return;
      }
    };
    client.on('data', onData);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const credentials = options.username ? `${encodeURIComponent(options.username)}:${encodeURIComponent(options.password ?? '')}@` : '';
  return {
    url: `socks5://${credentials}127.0.0.1:${port}`,
    records,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
