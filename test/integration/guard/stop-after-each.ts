// Everything a guard test starts is stopped after the test, however the test ended: engines first (so their
// in-flight calls end), then the upstreams they were calling. A test may stop something earlier itself; each thing
// is stopped once.

type Stop = () => Promise<void>;

const engines = new Set<Stop>();
const upstreams = new Set<Stop>();

function tracked(set: Set<Stop>, stop: Stop): Stop {
  let stopping: Promise<void> | undefined;
  const once: Stop = () => {
    set.delete(once);
    stopping ??= stop();
    return stopping;
  };
  set.add(once);
  return once;
}

/** The engine's stop, registered to run after the current test. */
export const trackEngine = (stop: Stop): Stop => tracked(engines, stop);

/** An upstream's close, registered to run after the current test (after the engines). */
export const trackUpstream = (close: Stop): Stop => tracked(upstreams, close);

/** For `afterEach` / `afterAll`: stops every engine, then closes every upstream, started since the last call. */
export async function stopEverythingStarted(): Promise<void> {
  for (const stop of [...engines]) await stop();
  for (const close of [...upstreams]) await close();
}
