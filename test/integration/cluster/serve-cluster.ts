import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliRun as ServeRun } from '../../helpers/cli-process.ts';
import { runCli, waitForOutput } from '../../helpers/cli-process.ts';

const serve = (args: string[], env: Record<string, string> = {}) => runCli(['serve', ...args], env);

export const clusterClientKey = 'sy-fake-cluster-client-key-0123456789';

export interface ServeInstance {
  run: ServeRun;
  url: string;
}

/** Fake key material the fake upstream recognises; never a real key. */
export function fakeSecret(index: number): string {
  return `fake-openai-key-not-real-${String(index).padStart(4, '0')}`;
}

/**
 * Writes one config for an OpenAI-style provider `p` with `keyCount` keys (secrets from the environment) and the
 * given guard settings, for `serve` processes pointed at one Redis.
 */
export function writeClusterConfig(upstreamUrl: string, keyCount: number, settings: Record<string, unknown>): { file: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-cluster-'));
  const file = join(dir, 'config.json');
  const keys = Array.from({ length: keyCount }, (_, index) => ({ id: `k${index}`, secret: { env: `FAKE_KEY_${index}` } }));
  writeFileSync(file, JSON.stringify({ server: { port: 0, clientKeys: [{ env: 'SY_CLIENT_KEY' }] }, providers: [{ id: 'p', type: 'openai', baseUrl: upstreamUrl, keys, ...settings }] }));
  const env: Record<string, string> = { SY_CLIENT_KEY: clusterClientKey };
  for (let index = 0; index < keyCount; index += 1) env[`FAKE_KEY_${index}`] = fakeSecret(index);
  return { file, env };
}

/**
 * Starts one `serve` process of the cluster and waits until it serves (and reports its guard state). Without a
 * Redis URL it is an instance alone: its guard state stays local.
 */
export async function startInstance(config: { file: string; env: Record<string, string> }, redisUrl: string | undefined, env: Record<string, string> = {}): Promise<ServeInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-cluster-data-'));
  const run = serve(['--config', config.file, '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1'], { ...config.env, ...env, ...(redisUrl !== undefined ? { SWITCHYARD_REDIS_URL: redisUrl } : {}) });
  const [, url] = await waitForOutput(run, /serving on (http:\/\/127\.0\.0\.1:\d+)/);
  if (redisUrl !== undefined) await waitForOutput(run, /guard state: /);
  return { run, url: url! };
}

/** One OpenAI chat completion through an instance; resolves with the HTTP status. */
export async function ask(instance: ServeInstance, signal?: AbortSignal): Promise<number> {
  const response = await fetch(`${instance.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clusterClientKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'p/test-model', messages: [{ role: 'user', content: 'hello' }] }),
    ...(signal ? { signal } : {}),
  });
  await response.arrayBuffer();
  return response.status;
}

export async function health(instance: ServeInstance): Promise<{ status: string; sharedState?: { mode: string; instances: number; warning?: string } }> {
  return (await (await fetch(`${instance.url}/health`)).json()) as { status: string; sharedState?: { mode: string; instances: number; warning?: string } };
}

/** Polls until `check` holds, bounded in real time. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
