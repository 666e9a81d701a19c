import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../helpers/temp-folders.ts';

// `npm run soak` (test/soak/run-soak.ts) end to end, shortened to about 10 s of traffic: the bundled engine in its own
// process, the fake providers, every scenario of the mix, the IPC samples, the verdict and the JSON report. The
// numbers themselves are not asserted (they depend on the machine); only that the run passes its own verdict.

const root = join(import.meta.dirname, '..', '..', '..');
const folders = temporaryFolders('soak');
afterEach(() => folders.cleanup());

function runSoak(args: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'test', 'soak', 'run-soak.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the soak did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('npm run soak', () => {
  it('runs the mixed traffic for ~10 s, exits 0 and writes its JSON report', async () => {
    const json = join(await folders.make(), 'soak.json');
    const run = await runSoak(['--duration', '10', '--sample-seconds', '2', '--concurrency', '8', '--seed', '3', '--json', json], 90_000);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/time\s+rss MiB\s+heap MiB/);
    expect(run.stdout).toContain('Verdict: PASS');
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      requests: number;
      samples: unknown[];
      final: { inFlight: number; queued: number };
      verdict: { ok: boolean; problems: string[] };
      outcomes: Record<string, Record<string, number>>;
      unexpected: number;
    };
    expect(report.verdict).toMatchObject({ ok: true, problems: [] });
    expect(report.final).toMatchObject({ inFlight: 0, queued: 0 });
    expect(report.unexpected).toBe(0);
    expect(report.samples.length).toBeGreaterThanOrEqual(3);
    expect(report.requests).toBeGreaterThan(50);
    // Every kind of trouble really happened, not only the happy path.
    expect(Object.keys(report.outcomes).sort()).toEqual(['abort-stream', 'abort-waiting', 'ok', 'rate-limited', 'reset', 'server-error', 'stall', 'stream', 'translated']);
  }, 120_000);

  it('fails (exit 1) when the engine dies during the run, and says so in the report', async () => {
    const json = join(await folders.make(), 'crash.json');
    const run = await runSoak(['--duration', '8', '--sample-seconds', '1', '--concurrency', '4', '--json', json], 90_000, { SOAK_ENGINE_DIE_AFTER_MS: '3000' });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    expect(run.stdout).toContain('Verdict: FAIL');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { verdict: { ok: boolean; problems: string[] } };
    expect(report.verdict.ok).toBe(false);
    expect(report.verdict.problems).toContain('the engine process died during the run (signal SIGKILL)');
  }, 120_000);

  it('refuses a flag it does not know with exit 2, before starting anything', async () => {
    const run = await runSoak(['--minutes', '3'], 20_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option --minutes/);
  });
});
