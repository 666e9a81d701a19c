import { parseArgs } from 'node:util';

/** Where a command writes; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

/**
 * One top-level command of `switchyard` (serve, clients, ...). The dispatcher in switchyard.ts is a table of these,
 * each with its one-line summary, so adding a command is one new entry. `run` resolves to the exit code, or to
 * undefined for a command that keeps running (serve) and exits by itself.
 */
export interface CliCommand {
  usage: string;
  run(args: string[], io: CliIo): Promise<number | undefined>;
}

/** Thrown for a usage mistake: the message plus the command's usage go to stderr, exit code 2. */
export class UsageError extends Error {}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** parseArgs with strict checking whose failure is a UsageError. */
export function parseCommandArgs<Options extends OptionSpec>(args: string[], options: Options) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
