import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killServeProcesses, serve, waitForOutput } from '../../helpers/serve-process.ts';

// `switchyard serve` as a user runs it: a real process, real data dir, real stdout/stderr and exit codes.

afterEach(killServeProcesses);

const dataDir = () => mkdtempSync(join(tmpdir(), 'switchyard-serve-'));

describe('switchyard serve', () => {
  it('starts with zero config, generates a client key once, and picks up numbered keys from the environment', async () => {
    const dir = dataDir();
    const first = serve(['--port', '0', '--data-dir', dir], { GEMINI_API_KEY_1: 'AIza-first-key-000000000000000', GEMINI_API_KEY_2: 'AIza-second-key-00000000000000', ANTHROPIC_API_KEY: 'fake-ant-test-000000000000000000' });
    const [, url] = await waitForOutput(first, /serving on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, key] = await waitForOutput(first, /client key \(new, shown once[^\n]*\n\s+(sy-[A-Za-z0-9_-]+)/);
    expect(first.output()).toContain('provider: gemini (gemini, 2 keys)');
    expect(first.output()).toContain('provider: anthropic (anthropic, 1 key)');
    const credentials = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as { clientKey: string };
    expect(credentials.clientKey).toBe(key);
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    // Keys never appear in what serve prints.
    expect(first.output() + first.errors()).not.toContain('AIza-first-key');
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = serve(['--port', '0', '--data-dir', dir]);
    await waitForOutput(second, /client key: \*{4}/);
    expect(second.output()).not.toContain(key!);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  });

  it('refuses an invalid config with every problem as path: reason and exit code 2', async () => {
    const dir = dataDir();
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        server: { port: 'eighty' },
        providers: [{ id: 'p', type: 'openai', keys: [{ id: 'k', secret: { env: 'X' } }] }, { id: 'q', type: 'nonsense' }],
        combos: [{ name: 'main', targets: ['missing/model'] }],
        activeCombo: 'other',
      }),
    );
    const run = serve(['--config', file, '--data-dir', dir]);
    expect(await run.exit).toBe(2);
    const errors = run.errors();
    expect(errors).toContain('server.port:');
    expect(errors).toContain('providers[1].type:');
    expect(errors).toContain('combos[0].targets[0]: "missing/model" names no provider');
    expect(errors).toContain('activeCombo: no combo named "other"');
  });

  it('refuses a config that is not JSON, or missing, with exit code 2', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'broken.json'), '{ "providers": [ }');
    const broken = serve(['--config', join(dir, 'broken.json'), '--data-dir', dir]);
    expect(await broken.exit).toBe(2);
    expect(broken.errors()).toMatch(/not valid JSON/);
    const missing = serve(['--config', join(dir, 'nope.json'), '--data-dir', dir]);
    expect(await missing.exit).toBe(2);
    expect(missing.errors()).toMatch(/no such file/);
  });

  it('warns about unknown fields but starts', async () => {
    const dir = dataDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ colour: 'blue', server: { port: 0, futureOption: true }, providers: [] }));
    const run = serve(['--config', file, '--data-dir', dir]);
    await waitForOutput(run, /serving on/);
    expect(run.errors()).toContain('colour: unknown field, ignored');
    expect(run.errors()).toContain('server.futureOption: unknown field, ignored');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('names a missing environment variable behind a secret reference (exit 2)', async () => {
    const dir = dataDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ providers: [{ id: 'work', type: 'openai', keys: [{ id: 'k1', secret: { env: 'OPENAI_KEY_NOT_SET' } }] }] }));
    const run = serve(['--config', file, '--data-dir', dir]);
    expect(await run.exit).toBe(2);
    expect(run.errors()).toContain('providers[0].keys[0].secret: environment variable OPENAI_KEY_NOT_SET is not set');
  });

  it('explains a port that is already taken (exit 1)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const run = serve(['--port', String(port), '--data-dir', dataDir()]);
      expect(await run.exit).toBe(1);
      expect(run.errors()).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('rejects bad flags with usage and exit code 2', async () => {
    const run = serve(['--port', 'abc']);
    expect(await run.exit).toBe(2);
    expect(run.errors()).toContain('--port must be a number');
  });
});
