// The engine of `npm run soak` (run-soak.ts), run bundled in its own process with --expose-gc and an IPC channel.
// Providers (all pointing at the soak's fake upstreams, SOAK_ANTHROPIC and SOAK_OPENAI):
// - claude: normal traffic, client aborts and stalls (a short idle timeout so a stalled stream is cut within seconds);
// - gpt: an OpenAI-compatible provider, so Anthropic clients asking for it are translated;
// - flaky: 5xx answers and connection resets (retried quickly);
// - limited: 429 with retry-after (three keys, so a cooling key leaves others).
// Breakers never open here: the soak looks for leaks over many failures, not for the breaker's policy (guard tests
// cover that). Prints `url <url>` once listening. IPC: {type:'sample'} → {type:'sample', …memory after a full GC,
// guard counts}; {type:'stop'} → stops the engine and exits 0.
import { configSchema } from '../../shared/config/config-schema.ts';
import { Engine } from '../../main/core/engine.ts';
import { silentLogger } from '../../main/core/logging/logger.ts';

const anthropic = process.env.SOAK_ANTHROPIC!;
const openai = process.env.SOAK_OPENAI!;
const keys = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `k${index + 1}`, secret: { env: `SOAK_KEY_${index + 1}` } }));
const calm = { breaker: { failureThreshold: 1_000_000 }, retry: { baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5_000 } };

const engine = await Engine.create({
  config: configSchema.parse({
    providers: [
      { id: 'claude', type: 'anthropic', baseUrl: anthropic, keys: keys(2), timeouts: { idleMs: 1_000, firstByteMs: 10_000 }, ...calm },
      { id: 'gpt', type: 'openai-compatible', baseUrl: openai, keys: keys(2), ...calm },
      { id: 'flaky', type: 'anthropic', baseUrl: anthropic, keys: keys(2), ...calm },
      { id: 'limited', type: 'anthropic', baseUrl: anthropic, keys: keys(3), ...calm },
    ],
  }),
  local: { clientKey: 'sy-soak-client-key-000000000000', managementToken: 'sym-soak-management-token-00000' },
  env: { SOAK_KEY_1: 'soak-upstream-key-one-000000000', SOAK_KEY_2: 'soak-upstream-key-two-000000000', SOAK_KEY_3: 'soak-upstream-key-three-0000000' },
  logger: silentLogger(),
});
const { url } = await engine.start({ host: '127.0.0.1', port: 0 });
process.stdout.write(`url ${url}\n`);

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('the soak engine needs --expose-gc');

function sample() {
  collect!();
  const memory = process.memoryUsage();
  let inFlight = 0;
  let queued = 0;
  for (const provider of engine.guard.snapshot().providers) {
    // A slot counted on the provider or on one of its keys: either left over is a leak.
    const keysInFlight = provider.keys.reduce((sum, key) => sum + key.inFlight, 0);
    inFlight += Math.max(provider.inFlight, keysInFlight) + provider.dedupInFlight;
    queued += provider.queueDepth + provider.dedupCallers;
  }
  return { type: 'sample', rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, inFlight, queued };
}

process.on('message', (message: { type?: string }) => {
  if (message.type === 'sample') process.send!(sample());
  if (message.type === 'stop') {
    void engine
      .stop(2_000)
      .catch(() => undefined)
      .finally(() => process.exit(0));
  }
});
// The runner going away (even killed) closes the channel: never outlive it.
process.on('disconnect', () => process.exit(0));

// For the runner's own test only: die on purpose after this long, so the crash verdict can be seen to work.
const dieAfterMs = Number(process.env.SOAK_ENGINE_DIE_AFTER_MS ?? Number.NaN);
if (Number.isFinite(dieAfterMs)) setTimeout(() => process.kill(process.pid, 'SIGKILL'), dieAfterMs);
