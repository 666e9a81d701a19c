#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LogLevel } from '../logging/logger.ts';
import { packageRoot } from './package-root.ts';
import { accountsUsage, CommandError, runAccountsCommand, stdinLines } from './accounts-command.ts';
import { StartError, startServe } from './serve-command.ts';

const serveUsage = `Usage: switchyard serve [--config <file>] [--port <n>] [--host <address>] [--data-dir <dir>] [--log-level error|warn|info|debug]

Runs the Switchyard engine headless. With no --config it uses the dashboard's <data-dir>/settings.json, else
<data-dir>/config.json when present, else providers from ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY,
OPENROUTER_API_KEY and the vendor variables in docs/configuration.md (and numbered _1.._N variants).
It prints a one-time link to the web dashboard (docs/dashboard.md).
Defaults: 127.0.0.1:8787, data dir in your user config folder. Docs: docs/configuration.md`;

const usage = `${serveUsage}\n\n${accountsUsage}`;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function runAccounts(args: string[]): Promise<void> {
  try {
    await runAccountsCommand(args, {
      env: process.env,
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      lines: stdinLines(),
      interactive: process.stdin.isTTY === true,
    });
  } catch (error) {
    if (error instanceof CommandError) fail(error.message, error.exitCode);
    throw error;
  }
  // Nothing of the command may keep running (the stdin reader, pooled connections).
  process.exit(0);
}

/** The subcommands; each parses its own arguments. */
const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve: runServe,
  accounts: runAccounts,
};

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    const root = packageRoot();
    process.stdout.write(`${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    return;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const run = commands[command];
  if (!run) fail(`Unknown command "${command}".\n\n${usage}`, 2);
  await run(rest);
}

async function runServe(rest: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${serveUsage}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${serveUsage}\n`);
    return;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) fail(`--port must be a number from 0 to 65535, not "${values.port}".`, 2);
  const logLevel = values['log-level'];
  if (logLevel !== undefined && !['error', 'warn', 'info', 'debug'].includes(logLevel)) fail('--log-level must be error, warn, info or debug.', 2);

  const root = packageRoot();
  const uiDir = join(root, 'dist', 'renderer');
  try {
    const engine = await startServe(
      { config: values.config, port, host: values.host, dataDir: values['data-dir'], logLevel: logLevel as LogLevel | undefined, uiDir: existsSync(uiDir) ? uiDir : undefined },
      { env: process.env, out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
    );
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(1); // a second Ctrl-C: stop waiting
      stopping = true;
      process.stderr.write(`${signal}: finishing requests in flight (up to 10 s)...\n`);
      engine.stop(10_000).then(() => process.exit(0), () => process.exit(1));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  } catch (error) {
    if (error instanceof StartError) fail(error.message, error.exitCode);
    throw error;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`Switchyard failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
