// A child process for the kill -9 test: it records usage as the engine would (one event per completed response,
// in bursts), and after each burst reports on stdout how many it has handed to the recorder. It never stops by
// itself: the test kills it with SIGKILL, so nothing gets a chance to flush on the way out.
import { usageSchema } from '../../../shared/config/usage-schema.ts';
import { openUsageLedger } from '../../../main/core/usage/usage-ledger.ts';
import { usageEvent } from '../../helpers/usage-events.ts';

const [dataDir, burstsArgument] = process.argv.slice(2);
const bursts = Number(burstsArgument ?? 'Infinity');
const ledger = openUsageLedger({ dataDir: dataDir!, config: usageSchema.parse({}) });
const perBurst = 25;
let recorded = 0;
let done = 0;
const timer = setInterval(() => {
  if (done >= bursts) {
    clearInterval(timer);
    process.stdout.write(`done ${recorded}\n`);
    setInterval(() => undefined, 1000); // stay alive until killed
    return;
  }
  for (let index = 0; index < perBurst; index++) ledger.record(usageEvent({ startedAt: Date.now(), durationMs: recorded++ }));
  done++;
  process.stdout.write(`recorded ${recorded}\n`);
}, 10);
