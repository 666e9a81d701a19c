// The whole engine under traffic, killed with SIGKILL: `switchyard serve` runs as a child process (the one CLI
// process helper) in front of a fake OpenAI provider in this process. Concurrent clients send streamed and whole
// chat completions in a bounded loop and count the answers that completed here, at the client. The engine is killed
// mid-traffic, started again on the same data dir, and every completed answer must have exactly one row.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliRun } from '../../helpers/cli-process.ts';
import { killStartedProcesses, runCli, waitForOutput } from '../../helpers/cli-process.ts';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';

const clientKey = 'sy-fake-kill-nine-client-key-0123456789';
const upstreamKey = 'fake-openai-key-not-real-kill-nine';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killStartedProcesses();
  while (cleanups.length) await cleanups.pop()!();
});

function writeConfig(upstreamUrl: string): { file: string; dataDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-kill-nine-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ server: { port: 0, clientKeys: [{ env: 'SY_CLIENT_KEY' }] }, providers: [{ id: 'p', type: 'openai', baseUrl: upstreamUrl, keys: [{ id: 'k0', secret: { env: 'FAKE_KEY' } }] }] }));
  return { file, dataDir: join(dir, 'data') };
}

async function serve(config: { file: string; dataDir: string }): Promise<{ run: CliRun; url: string }> {
  const run = runCli(['serve', '--config', config.file, '--data-dir', config.dataDir, '--port', '0', '--host', '127.0.0.1'], { SY_CLIENT_KEY: clientKey, FAKE_KEY: upstreamKey });
  const [, url] = await waitForOutput(run, /serving on (http:\/\/127\.0\.0\.1:\d+)/);
  return { run, url: url! };
}

/** One request, named by its model (`p/kill-<n>`) so its row can be found; true when the whole answer arrived. */
async function ask(url: string, number: number, stream: boolean): Promise<boolean> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: `p/kill-${number}`, stream, messages: [{ role: 'user', content: `request ${number}` }] }),
  });
  const text = await response.text(); // throws when the connection is cut before the end
  if (response.status !== 200) return false;
  return stream ? text.includes('data: [DONE]') : (JSON.parse(text) as { choices?: unknown[] }).choices?.length === 1;
}

function requestedModels(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'usage.db'), { readonly: true });
  try {
    return db.prepare("SELECT requested_model FROM requests WHERE requested_model LIKE 'p/kill-%'").pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('kill -9 of `serve` under traffic', () => {
  it('every answer that completed at the client has exactly one row after a restart', async () => {
    const upstream: FakeUpstream = await startFakeUpstream('openai', { keys: [upstreamKey] });
    cleanups.push(() => upstream.close());
    upstream.setHandler(() => ({ kind: 'text', text: 'a short answer in a few pieces', chunks: 4 }));
    const config = writeConfig(upstream.url);
    const first = await serve(config);

    const completed = new Set<number>();
    const started = new Set<number>();
    let killed = false;
    let next = 0;
    const maxRequests = 4_000;
    const killAfterCompleted = 300;
    const deadline = Date.now() + 20_000;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.run.child.once('exit', (_code, signal) => resolve(signal)));
    const kill = () => {
      if (killed) return;
      killed = true; // answers finishing from here on are not counted: the engine may already be gone
      first.run.child.kill('SIGKILL');
    };
    const client = async () => {
      while (!killed && next < maxRequests && Date.now() < deadline) {
        const number = next++;
        started.add(number);
        const ok = await ask(first.url, number, number % 2 === 0).catch(() => false);
        if (ok && !killed) completed.add(number);
        if (completed.size >= killAfterCompleted) kill();
      }
    };
    await Promise.all(Array.from({ length: 12 }, client));
    kill();
    expect(await exited).toBe('SIGKILL');
    expect(completed.size).toBeGreaterThanOrEqual(killAfterCompleted);

    // Started again on the same data dir: the ledger opens the file the killed process left (WAL recovery).
    const second = await serve(config);
    const health = (await (await fetch(`${second.url}/health`)).json()) as { status: string };
    expect(health.status).toBeDefined();
    const rows = requestedModels(config.dataDir).map((model) => Number(model.slice('p/kill-'.length)));
    const counts = new Map<number, number>();
    for (const number of rows) counts.set(number, (counts.get(number) ?? 0) + 1);
    const missing = [...completed].filter((number) => !counts.has(number));
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([number]) => number);
    expect({ missing, duplicated }).toEqual({ missing: [], duplicated: [] });
    expect(rows.length).toBeGreaterThanOrEqual(completed.size);
    // A row is only ever for a request that was sent.
    expect(rows.every((number) => started.has(number))).toBe(true);
  }, 60_000);
});
