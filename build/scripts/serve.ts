// `npm run serve`: `switchyard serve` from a checkout. Arguments are passed on: `npm run serve -- --port 9000`.
import { launchCli } from './launch-cli.ts';

await launchCli(['serve', ...process.argv.slice(2)]);
