import { afterEach, expect, it } from 'vitest';
import { configSchema } from '../../../shared/config/config-schema.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

let running: RunningEngine | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A plain fetch of /health; a connection closed on connect surfaces as a fetch failure. */
async function health(url: string): Promise<string> {
  try {
    const answer = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    return `${answer.status}`;
  } catch (error) {
    return `refused: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`;
  }
}

it('server.allowedClients closes connections from other addresses, and a config change applies at once', async () => {
  running = await startEngine({ server: { allowedClients: ['192.0.2.0/24'] } });
  expect(await health(running.url)).toMatch(/^refused/u);
  await running.engine.applyConfig(configSchema.parse({ server: { allowedClients: ['192.0.2.0/24', '127.0.0.1'] } }));
  expect(await health(running.url)).toBe('200');
  await running.engine.applyConfig(configSchema.parse({ server: { allowedClients: [] } }));
  expect(await health(running.url)).toBe('200');
});
