import type { DesktopApp } from '../desktop-app.ts';

/**
 * `SWITCHYARD_SMOKE_TEST=1`: the release workflow starts each packaged app once on its own OS with a real Electron,
 * which this repository's CI cannot do (no Electron binary, no macOS or Windows runner). The app starts as usual; this
 * checks that the engine serves and answers, prints one line, and quits: exit code 0 when all is well.
 */
export async function smokeCheck(app: DesktopApp, exit: (code: number) => void, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (app.host.status.state !== 'serving' && app.host.status.state !== 'failed' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const status = app.host.status;
  if (status.state !== 'serving') {
    console.error(`SMOKE FAILED: not serving (${status.state === 'failed' ? status.message : status.state})`);
    exit(1);
    return;
  }
  try {
    // Without a client key the engine must refuse: proof that the HTTP edge and its auth run.
    const response = await fetch(`${status.url}/v1/models`, { signal: AbortSignal.timeout(10_000) });
    if (response.status !== 401) throw new Error(`GET /v1/models answered ${response.status}, expected 401`);
  } catch (error) {
    console.error(`SMOKE FAILED: ${(error as Error).message}`);
    exit(1);
    return;
  }
  console.log(`SMOKE OK: serving on ${status.url}`);
  app.quit();
  await app.quitDone;
}
