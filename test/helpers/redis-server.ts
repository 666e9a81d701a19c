import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRedis {
  /** redis://127.0.0.1:<port> (with :password@ when one is set). */
  url: string;
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
  /** Extra redis-server arguments (e.g. TLS settings). */
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
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
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
  const argumentsList = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
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
      const up = await Promise.race([answersPing(port), failed]);
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
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
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
