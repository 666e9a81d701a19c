#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand, CliIo } from './cli-command.ts';
import { UsageError } from './cli-command.ts';
import { accountsCli } from './accounts-command.ts';
import { clientsCli } from './clients-cli.ts';
import { packageRoot } from './package-root.ts';
import { serveCli } from './serve-cli.ts';

/** Every top-level command. A new command is one entry here and one file beside this one. */
const commands: Record<string, CliCommand> = {
  serve: serveCli,
  clients: clientsCli,
  accounts: accountsCli,
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
  const command = commands[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${overview()}`);
    return 2;
  }
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
