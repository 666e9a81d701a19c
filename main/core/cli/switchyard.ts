#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand, CliIo } from './cli-command.ts';
import { UsageError } from './cli-command.ts';
import { packageRoot } from './package-root.ts';

/**
 * Every top-level command. A new command is one entry here and one file beside this one.
 * Each command's module is imported only when that command runs: `--help` and `clients` do not load the server, and
 * in the bundle the modules behind these dynamic imports are initialised one by one when first needed instead of
 * all at start-up, which keeps `serve` about 3 MB smaller in resident memory (docs/performance.md, "Lever 10").
 */
const commands: Record<string, { summary: string; load(): Promise<CliCommand> }> = {
  serve: { summary: 'run the engine headless', load: async () => (await import('./serve-cli.ts')).serveCli },
  clients: {
    summary: 'point Claude Code, Codex CLI or Gemini CLI at Switchyard, show where they point, undo',
    load: async () => (await import('./clients-cli.ts')).clientsCli,
  },
  accounts: {
    summary: 'sign in, list and remove subscription accounts (copilot, codex, kiro, gemini-cli)',
    load: async () => (await import('./accounts-command.ts')).accountsCli,
  },
};

function overview(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `Usage: switchyard <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nswitchyard <command> --help shows a command's options. switchyard --version prints the version.`;
}

async function main(argv: string[]): Promise<number | undefined> {
  const io: CliIo = { env: process.env, out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.out((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(`Unknown command "${name}".\n\n${overview()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${error.message}\n\n${command.usage}`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`switchyard failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
