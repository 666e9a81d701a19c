#!/usr/bin/env node
// The `switchyard` bin (package.json): `npx switchyard accounts add copilot`, `npx switchyard serve`, ...
import { launchCli } from './launch-cli.ts';

await launchCli(process.argv.slice(2));
