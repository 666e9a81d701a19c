// `npm run soak`: the real engine, bundled and started in its own process with --expose-gc (soak-engine.ts), under
// seeded mixed traffic for a few minutes: streams and whole answers, passthrough and translated, client aborts while
// waiting and mid-stream, upstream 5xx, 429 with retry-after, connection resets (before the headers and mid-stream)
// and stalled streams. The fake providers are real HTTP servers on 127.0.0.1:0 in this process
// (test/helpers/fake-upstream). Every few seconds the engine is asked over IPC for its RSS, its live heap right after
// a full GC and what the guard holds in flight and queued. At the end: an aligned table over time on stdout, a JSON
// report (test-results/soak/ unless --json) and exit 1 when the verdict fails (soak-verdict.ts: memory growth past a
// bound after warm-up, slots or queue entries left over once the traffic stopped, the engine died, answers their
// scenario does not allow, 5xx above all). Exit 2: bad flags; 3: the run itself broke or overran its time bound.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { bundleEngine, engineNodeFlags } from '../../build/scripts/engine-bundle.ts';
import { firstLine, launch, pinned } from '../bench/bench-processes.ts';
import type { FakeReply, FakeUpstream, RecordedRequest } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { Scenario, SoakOptions, SoakSample } from './soak-verdict.ts';
import { formatSoakTable, judgeSoak, parseSoakOptions, pickScenario, seededRandom } from './soak-verdict.ts';

const root = resolve(import.meta.dirname, '..', '..');
const clientKey = 'sy-soak-client-key-000000000000';
/** One client request never takes longer than this; past it the request counts as unexpected (`client timeout`). */
const requestTimeoutMs = 20_000;

let options: SoakOptions;
try {
  options = parseSoakOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

/** What a client request carries in its prompt, so the fake provider knows how to answer it. */
interface Plan {
  scenario: Scenario;
  id: number;
  /** server-error: persistent | transient; reset: before (the headers) | mid (-stream); otherwise 'plain'. */
  variant: string;
  model: string;
  stream: boolean;
}

function planRequest(id: number, random: () => number): Plan {
  const scenario = pickScenario(random);
  const coin = random() < 0.5;
  switch (scenario) {
    case 'ok':
      return { scenario, id, variant: 'plain', model: 'claude/claude-sonnet-4-5', stream: false };
    case 'stream':
    case 'abort-stream':
    case 'stall':
      return { scenario, id, variant: 'plain', model: 'claude/claude-sonnet-4-5', stream: true };
    case 'abort-waiting':
      return { scenario, id, variant: 'plain', model: 'claude/claude-sonnet-4-5', stream: coin };
    case 'translated':
      return { scenario, id, variant: 'plain', model: 'gpt/gpt-5', stream: coin };
    case 'server-error':
      return { scenario, id, variant: random() < 0.5 ? 'persistent' : 'transient', model: 'flaky/claude-sonnet-4-5', stream: coin };
    case 'rate-limited':
      return { scenario, id, variant: 'plain', model: 'limited/claude-sonnet-4-5', stream: coin };
    case 'reset':
      return coin ? { scenario, id, variant: 'mid', model: 'flaky/claude-sonnet-4-5', stream: true } : { scenario, id, variant: 'before', model: 'flaky/claude-sonnet-4-5', stream: false };
  }
}

// ---- the fake providers ----------------------------------------------------------------------------------------

/** Upstream arrivals per request id (a retry is a second arrival); forgotten when the client request ends. */
const arrivals = new Map<number, number>();
const serverErrorStatuses = [500, 502, 503, 529];

function fakeReply(request: RecordedRequest): FakeReply {
  const match = /soak:([a-z-]+):(\d+):([a-z]+)/.exec(request.body.toString('utf8'));
  if (!match) return { kind: 'text' };
  const [, scenario, idText, variant] = match;
  const id = Number(idText);
  const arrival = (arrivals.get(id) ?? 0) + 1;
  arrivals.set(id, arrival);
  switch (scenario as Scenario) {
    case 'abort-stream':
      // Slow enough that the client is always still reading when it aborts.
      return { kind: 'text', text: 'a long answer, word by word. '.repeat(20), chunks: 40, chunkDelayMs: 25 };
    case 'abort-waiting':
      return { kind: 'hang' };
    case 'server-error':
      if (variant === 'persistent' || arrival === 1) return { kind: 'error', status: serverErrorStatuses[id % serverErrorStatuses.length]!, message: 'the fake provider is having a bad day' };
      return { kind: 'text' };
    case 'rate-limited':
      return arrival === 1 ? { kind: 'error', status: 429, message: 'rate limited, slow down', headers: { 'retry-after': '1' } } : { kind: 'text' };
    case 'reset':
      // A handler that throws makes the fake destroy the connection before any header: a reset.
      if (variant === 'before' && arrival === 1) throw new Error('reset');
      return variant === 'mid' ? { kind: 'break-mid-stream', afterChunks: 3 } : { kind: 'text' };
    case 'stall':
      // A chunk, then silence far past the provider's idle timeout (1 s in soak-engine.ts).
      return { kind: 'text', chunks: 3, chunkDelayMs: 4_000 };
    default:
      return { kind: 'text' };
  }
}

// ---- the client side -------------------------------------------------------------------------------------------

interface Result {
  outcome: string;
  status?: number;
  expected: boolean;
  snippet?: string;
}

function allowed(plan: Plan, outcome: string, status: number | undefined): boolean {
  switch (plan.scenario) {
    case 'ok':
    case 'stream':
    case 'translated':
      return outcome === 'ok';
    case 'abort-stream':
    case 'abort-waiting':
      return outcome === 'aborted';
    case 'server-error':
      return plan.variant === 'transient' ? outcome === 'ok' : outcome === `status ${status}` && status !== undefined && status >= 500;
    case 'rate-limited':
      return outcome === 'ok' || outcome === 'status 429';
    case 'reset':
      return outcome === (plan.variant === 'mid' ? 'stream error event' : 'ok');
    case 'stall':
      return outcome === 'stream error event';
  }
}

async function clientRequest(engineUrl: string, plan: Plan, random: () => number): Promise<Result> {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(new Error('client timeout')), requestTimeoutMs);
  let abortedOnPurpose = false;
  const abortNow = () => {
    abortedOnPurpose = true;
    controller.abort();
  };
  let abortTimer: NodeJS.Timeout | undefined;
  if (plan.scenario === 'abort-waiting') abortTimer = setTimeout(abortNow, 20 + Math.floor(random() * 200));
  try {
    const response = await fetch(`${engineUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': clientKey, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: plan.model, max_tokens: 64, stream: plan.stream, messages: [{ role: 'user', content: `soak:${plan.scenario}:${plan.id}:${plan.variant}` }] }),
      signal: controller.signal,
    });
    let text = '';
    if (plan.scenario === 'abort-stream' && response.status === 200 && response.body) {
      const reader = response.body.getReader();
      await reader.read();
      abortNow();
      await reader.read().catch(() => undefined);
      return classify(plan, 'aborted', response.status);
    }
    text = await response.text();
    return classify(plan, outcomeOf(response.status, response.headers.get('content-type') ?? '', text), response.status, text);
  } catch (error) {
    if (abortedOnPurpose) return classify(plan, 'aborted', undefined);
    const reason = controller.signal.aborted ? 'client timeout' : `failed: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`;
    return classify(plan, reason, undefined);
  } finally {
    clearTimeout(timeout);
    if (abortTimer) clearTimeout(abortTimer);
    arrivals.delete(plan.id);
  }
}

function outcomeOf(status: number, contentType: string, text: string): string {
  if (status === 200 && contentType.includes('text/event-stream')) {
    if (/event: error\ndata: \{"type":"error","error":\{"type":"[a-z_]+","message":"[^"]*"\}\}\s*$/.test(text)) return 'stream error event';
    return text.includes('event: message_stop') ? 'ok' : 'stream cut short';
  }
  let json: { type?: unknown; error?: { type?: unknown } } | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  if (status === 200) return json?.type === 'message' ? 'ok' : 'status 200 without a message';
  // An error must be in the client's own format (Anthropic here).
  return json?.type === 'error' && typeof json.error?.type === 'string' ? `status ${status}` : `status ${status} not in Anthropic format`;
}

function classify(plan: Plan, outcome: string, status: number | undefined, text?: string): Result {
  const expected = allowed(plan, outcome, status);
  return { outcome, ...(status === undefined ? {} : { status }), expected, ...(expected || text === undefined ? {} : { snippet: text.slice(0, 300) }) };
}

// ---- the run ---------------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface EngineReading {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  inFlight: number;
  queued: number;
}

/** Asks the engine for one sample over IPC; fails at once when the engine is gone, and after 10 s of silence. */
function reader(child: ChildProcess): () => Promise<EngineReading> {
  return () =>
    new Promise((done, fail) => {
      const finish = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const timer = setTimeout(() => {
        finish();
        fail(new Error('the engine did not answer a sample request within 10 s'));
      }, 10_000);
      const onMessage = (message: { type?: string } & EngineReading) => {
        if (message.type !== 'sample') return;
        finish();
        done(message);
      };
      const onExit = () => {
        finish();
        fail(new Error('the engine exited'));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (!child.connected) return onExit();
      child.send({ type: 'sample' }, (error) => {
        if (error) onExit();
      });
    });
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const loadBefore = loadavg();
  const upstreams: FakeUpstream[] = [await startFakeUpstream('anthropic'), await startFakeUpstream('openai')];
  for (const upstream of upstreams) upstream.setHandler((request) => fakeReply(request));
  // A bundle of its own per run (inside the repo, so the bundle resolves node_modules), removed at the end: two soaks
  // at once (a test and a person) never overwrite each other's.
  const bundleDir = join(root, 'dist', 'soak', String(process.pid));
  const outfile = join(bundleDir, 'soak-engine.mjs');
  await bundleEngine(join(import.meta.dirname, 'soak-engine.ts'), outfile);
  // Core 1 for the engine, as the benchmark does; this process (clients and fake providers) stays where it is.
  const child = launch(outfile, 1, { SOAK_ANTHROPIC: upstreams[0]!.url, SOAK_OPENAI: upstreams[1]!.url }, [...engineNodeFlags, '--expose-gc'], { ipc: true });
  let crashed: string | undefined;
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) crashed = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  const sampleEngine = reader(child);
  const samples: SoakSample[] = [];
  const byScenario: Record<string, Record<string, number>> = {};
  const unexpectedExamples: Array<Result & { scenario: Scenario; variant: string; stream: boolean }> = [];
  let completed = 0;
  let unexpected = 0;
  let unexpected5xx = 0;
  try {
    const engineUrl = await firstLine(child, 'url ', 30_000);
    const random = seededRandom(options.seed);
    let nextId = 0;
    const trafficStart = performance.now();
    const stopAt = trafficStart + options.durationSeconds * 1000;
    const worker = async () => {
      // Bounded in time (stopAt) and, for safety, in count.
      for (let count = 0; count < 10_000_000 && performance.now() < stopAt && crashed === undefined; count += 1) {
        const plan = planRequest(nextId++, random);
        const result = await clientRequest(engineUrl, plan, random);
        completed += 1;
        const tally = (byScenario[plan.scenario] ??= {});
        tally[result.outcome] = (tally[result.outcome] ?? 0) + 1;
        if (!result.expected) {
          unexpected += 1;
          if ((result.status ?? 0) >= 500) unexpected5xx += 1;
          if (unexpectedExamples.length < 20) unexpectedExamples.push({ ...result, scenario: plan.scenario, variant: plan.variant, stream: plan.stream });
        }
      }
    };
    const take = async (): Promise<SoakSample> => ({ at: (performance.now() - trafficStart) / 1000, ...(await sampleEngine()), completed });
    const sampler = (async () => {
      for (let tick = 1; performance.now() < stopAt && crashed === undefined; tick += 1) {
        await sleep(Math.max(0, trafficStart + tick * options.sampleSeconds * 1000 - performance.now()));
        if (performance.now() > stopAt + 1000 || crashed !== undefined) break;
        let sample: SoakSample;
        try {
          sample = await take();
        } catch (error) {
          // The engine died: the verdict reports it (crashed is set by the exit handler, which has run by now).
          if (crashed !== undefined || child.exitCode !== null || child.signalCode !== null) break;
          throw error;
        }
        samples.push(sample);
        // The fake providers keep every request they saw; the soak needs none of them.
        for (const upstream of upstreams) upstream.requests.length = 0;
        process.stderr.write(`  ${sample.at.toFixed(0)} s: rss ${mib(sample.rss)} MiB, live heap ${mib(sample.heapUsed)} MiB, in flight ${sample.inFlight}, queued ${sample.queued}, ${completed} requests\n`);
      }
    })();
    await Promise.all([sampler, ...Array.from({ length: options.concurrency }, worker)]);
    // The traffic has stopped: give the engine a bounded moment to hand back every slot, then take the final look.
    let final = crashed === undefined ? await take() : undefined;
    for (let wait = 0; final !== undefined && (final.inFlight !== 0 || final.queued !== 0) && wait < 50 && crashed === undefined; wait += 1) {
      await sleep(200);
      final = await take();
    }
    const finalSample = final ?? samples.at(-1) ?? { at: 0, rss: 0, heapUsed: 0, heapTotal: 0, external: 0, inFlight: 0, queued: 0, completed };
    const verdict = judgeSoak(samples, finalSample, options, { unexpected, unexpected5xx, ...(crashed === undefined ? {} : { crashed }) });
    const seconds = (performance.now() - trafficStart) / 1000;
    const loadAfter = loadavg();

    const lines = [
      `Switchyard soak — ${startedAt.toISOString()}, Node ${process.version}, ${availableParallelism()} cores${pinned ? ' (engine pinned to core 1)' : ''}, load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after`,
      `${options.durationSeconds} s of traffic, ${options.concurrency} clients, seed ${options.seed}: ${completed} requests (${(completed / seconds).toFixed(0)}/s)`,
      '',
      formatSoakTable([...samples, { ...finalSample, at: finalSample.at }]),
      '(last row: after the traffic stopped)',
      '',
      'Outcomes by scenario:',
      ...Object.entries(byScenario)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([scenario, tally]) => `  ${scenario.padEnd(14)} ${Object.entries(tally).map(([outcome, count]) => `${outcome}: ${count}`).join(', ')}`),
      '',
      `RSS ${mib(verdict.baseline.rss)} MiB after warm-up (${verdict.baseline.at.toFixed(0)} s) -> ${mib(verdict.final.rss)} MiB at the end (${verdict.rssGrowthMb.toFixed(1)} MiB, bound ${options.maxRssGrowthMb}); peak ${mib(verdict.peakRss)} MiB`,
      `Live heap ${mib(verdict.baseline.heapUsed)} -> ${mib(verdict.final.heapUsed)} MiB (${verdict.heapGrowthMb.toFixed(1)} MiB, bound ${options.maxHeapGrowthMb})`,
      verdict.ok ? 'Verdict: PASS' : `Verdict: FAIL\n${verdict.problems.map((problem) => `  - ${problem}`).join('\n')}`,
    ];
    for (const example of unexpectedExamples.slice(0, 5)) lines.push(`  unexpected: ${example.scenario}/${example.variant}${example.stream ? ' (stream)' : ''}: ${example.outcome}${example.snippet ? ` — ${example.snippet.slice(0, 160)}` : ''}`);
    process.stdout.write(`${lines.join('\n')}\n`);

    const jsonPath = options.json ? resolve(options.json) : join(root, 'test-results', 'soak', `soak-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(
      jsonPath,
      JSON.stringify(
        {
          startedAt: startedAt.toISOString(),
          node: process.version,
          cores: availableParallelism(),
          loadAverage: { before: loadBefore, after: loadAfter },
          options,
          requests: completed,
          requestsPerSecond: completed / seconds,
          outcomes: byScenario,
          unexpected,
          unexpected5xx,
          unexpectedExamples,
          samples,
          final: finalSample,
          verdict,
        },
        null,
        2,
      ),
    );
    process.stdout.write(`JSON report: ${jsonPath}\n`);
    return verdict.ok ? 0 : 1;
  } finally {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await Promise.all(upstreams.map((upstream) => upstream.close()));
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

// The whole run is bounded: traffic, the wait for in-flight requests (each at most requestTimeoutMs), settling and
// shutting down all fit well inside this.
const watchdog = setTimeout(() => {
  process.stderr.write('soak: the run overran its time bound; giving up\n');
  process.exit(3);
}, (options.durationSeconds + 120) * 1000);

main()
  .then((code) => {
    clearTimeout(watchdog);
    process.exit(code);
  })
  .catch((error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(3);
  });
