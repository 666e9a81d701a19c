import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from '../logging/logger.ts';
import type { CliCommand } from './cli-command.ts';
import { parseCommandArgs, UsageError } from './cli-command.ts';
import { packageRoot } from './package-root.ts';
import { StartError, startServe } from './serve-command.ts';

const usage = `Usage: switchyard serve [--config <file>] [--port <n>] [--host <address>] [--data-dir <dir>] [--log-level error|warn|info|debug]

Runs the Switchyard engine headless. With no --config it uses the dashboard's <data-dir>/settings.json, else
<data-dir>/config.json when present, else providers from ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY,
OPENROUTER_API_KEY and the vendor variables in docs/configuration.md (and numbered _1.._N variants).
It prints a one-time link to the web dashboard (docs/dashboard.md).
Defaults: 127.0.0.1:8787, data dir in your user config folder. Docs: docs/configuration.md`;

/** `switchyard serve`: starts the engine and keeps running until SIGINT/SIGTERM. */
export const serveCli: CliCommand = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(usage);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}".`);
    const logLevel = values['log-level'];
    if (logLevel !== undefined && !['error', 'warn', 'info', 'debug'].includes(logLevel)) throw new UsageError('--log-level must be error, warn, info or debug.');

    const uiDir = join(packageRoot(), 'dist', 'renderer');
    try {
      const engine = await startServe(
        { config: values.config, port, host: values.host, dataDir: values['data-dir'], logLevel: logLevel as LogLevel | undefined, uiDir: existsSync(uiDir) ? uiDir : undefined },
        io,
      );
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) process.exit(1); // a second Ctrl-C: stop waiting
        stopping = true;
        io.err(`${signal}: finishing requests in flight (up to 10 s)...`);
        engine.stop(10_000).then(() => process.exit(0), () => process.exit(1));
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      return undefined;
    } catch (error) {
      if (error instanceof StartError) {
        io.err(error.message);
        return error.exitCode;
      }
      throw error;
    }
  },
};
