import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRedis {
  /** redis://127.0.0.1:<port> (rediss:// with TLS; with :password@ when one is set). */
  url: string;
  /** With TLS: the self-signed certificate clients must trust (e.g. through NODE_EXTRA_CA_CERTS). */
  certificateFile?: string;
  port: number;
  /** Stops the server (SIGTERM: a persistent one writes its data first) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  restart(): Promise<void>;
}

export interface RedisOptions {
  /** Append-only file, fsync on every write: what a restart test needs. Default off (--save '' --appendonly no). */
  persistent?: boolean;
  password?: string;
  /** A port chosen by the caller (e.g. one an instance already tries to reach); a free one by default. */
  port?: number;
  /** TLS only (no plain port), with a fresh self-signed certificate for 127.0.0.1 made by openssl. */
  tls?: boolean;
  /** Extra redis-server arguments. */
  extraArguments?: string[];
}

const running = new Set<ChildProcess>();
// A test run that dies half way must not leave servers behind: each is killed by its own PID.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1: redis-server treats --port 0 as "no TCP at all", so it cannot pick one itself. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** True once something on the port answers PING (or asks for a password, which means it is up). */
function answersPing(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tls ? connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }) : connect({ host: '127.0.0.1', port });
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.once('data', (data: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/**
 * A real redis-server on 127.0.0.1 with a random port, in its own temporary folder; stopped by PID by whoever
 * started it (call `stop` in afterEach/afterAll). Fails loudly when redis-server is not installed.
 */
export async function startRedis(options: RedisOptions = {}): Promise<RunningRedis> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-redis-'));
  const certificateFile = join(dir, 'certificate.pem');
  if (options.tls) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', certificateFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  }
  const listen = options.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', certificateFile, '--tls-key-file', join(dir, 'key.pem'), '--tls-ca-cert-file', certificateFile, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const argumentsList = [
    ...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    ...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ...(options.password ? ['--requirepass', options.password] : []),
    ...(options.extraArguments ?? []),
  ];
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const started = spawn('redis-server', argumentsList, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const failed = new Promise<never>((_, reject) => {
      started.once('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT' ? new Error('redis-server is not installed: the shared guard state tests need a real Redis. On Debian/Ubuntu: apt-get install redis-server (bash .ci/run installs it).') : error);
      });
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it answered: ${output}`)));
    });
    failed.catch(() => {});
    child = started;
    running.add(started);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await Promise.race([answersPing(port, options.tls === true), failed]);
      if (up) return;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function end(signal: NodeJS.Signals): Promise<void> {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill(signal);
    await exited;
    running.delete(current);
  }

  await launch();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    port,
    ...(options.tls ? { certificateFile } : {}),
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGTERM');
      await launch();
    },
  };
}
