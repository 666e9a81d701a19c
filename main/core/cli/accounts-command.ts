import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { accountRiskText, accountRisk } from '../../../shared/accounts/account-risk.ts';
import type { AccountKind } from '../../../shared/config/provider-schema.ts';
import { accountProviderTypes, providerSchema } from '../../../shared/config/provider-schema.ts';
import type { SignInPrompt } from '../accounts/account-kind.ts';
import { AccountPool } from '../accounts/account-pool.ts';
import { chooseAccountProvider } from '../accounts/choose-account-provider.ts';
import { SignInError } from '../accounts/sign-in-error.ts';
import { defaultDataDir } from '../config/data-dir.ts';
import { openHeadlessSecretStore } from '../secrets/open-headless-secret-store.ts';
import { resolveSecret } from '../secrets/resolve-secret.ts';
import { openHeadlessSettings } from '../settings/open-headless-settings.ts';
import { loadSettings, saveSettings } from '../settings/settings-file.ts';
import { resolveOutboundSettings } from '../upstream/outbound-settings.ts';
import { providerAdapter } from '../providers/index.ts';
import type { CliCommand } from './cli-command.ts';

export const accountsUsage = `Usage: switchyard accounts add <copilot|codex|kiro|gemini-cli> [--provider <id>] [--device] [--start-url <url> --region <region>] [--project <id>] [--yes] [--data-dir <dir>] [--config <file>]
       switchyard accounts list [--data-dir <dir>]
       switchyard accounts remove <account-id> [--data-dir <dir>]

Signs in with a subscription account (GitHub Copilot, ChatGPT/Codex, Kiro, Google Gemini Code Assist) instead of an
API key. The account's tokens go to the OS keychain (or the 0600 secrets file where there is none); the next
\`switchyard serve\` on the same data dir serves it. --device: no browser on this machine (ChatGPT's device code;
for gemini-cli, open the address on any device and paste the code Google shows). --start-url / --region (kiro): an
AWS IAM Identity Center portal and its region instead of AWS Builder ID. --project: gemini-cli's Google Cloud
project (found through Code Assist when left out). --yes: skip the risk confirmation (scripts).
Docs: docs/accounts.md`;

export interface CommandIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  /** Lines typed by the person (confirmation, a pasted redirect URL). */
  lines: AsyncIterator<string>;
  interactive: boolean;
}

export class CommandError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

function describePrompt(prompt: SignInPrompt): string[] {
  if (prompt.kind === 'code') {
    return ['Open this address in a browser on any device and sign in:', `  ${prompt.url}`, prompt.pasteHint, 'Paste the code here and press Enter:'];
  }
  if (prompt.kind === 'device') {
    return [`Open ${prompt.verificationUrl}`, `and enter the code: ${prompt.userCode}`, `(the code works until ${new Date(prompt.expiresAt).toLocaleTimeString()})`, 'Waiting for you to approve it...'];
  }
  return [
    'Open this address in a browser and sign in:',
    `  ${prompt.url}`,
    prompt.pasteHint,
    `Signing in from another machine? Forward the callback first: ${prompt.sshHint}`,
    'Waiting for the browser...',
  ];
}

async function add(args: string[], io: CommandIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { provider: { type: 'string' }, device: { type: 'boolean' }, 'start-url': { type: 'string' }, region: { type: 'string' }, project: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, 'data-dir': { type: 'string' }, config: { type: 'string', short: 'c' } },
  });
  const kind = positionals[0] as AccountKind | undefined;
  if (!kind || !(accountProviderTypes as readonly string[]).includes(kind) || positionals.length > 1) throw new CommandError(`Say which account: ${accountProviderTypes.join(', ')}.\n\n${accountsUsage}`, 2);
  if (values.device && (kind === 'copilot' || kind === 'kiro')) throw new CommandError('--device is for codex and gemini-cli; Copilot and Kiro always sign in with a device code.', 2);
  if ((values['start-url'] !== undefined || values.region !== undefined) && kind !== 'kiro') throw new CommandError('--start-url and --region are for kiro (an AWS IAM Identity Center portal).', 2);
  if (values.project !== undefined && kind !== 'gemini-cli') throw new CommandError('--project is for gemini-cli (the Google Cloud project).', 2);
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
  const opened = await openHeadlessSettings({ dataDir, ...(values.config ? { configPath: values.config } : {}), env: io.env });
  const choice = chooseAccountProvider(opened.config, kind, { ...(values.provider ? { providerId: values.provider } : {}), ...(values.config ? { configFile: values.config } : {}) });
  if (choice.kind === 'error') throw new CommandError(choice.message, 2);

  io.out(accountRiskText(kind));
  io.out('');
  if (!values.yes) {
    if (!io.interactive) throw new CommandError('Not confirmed: run it in a terminal to answer, or pass --yes to accept the risk above.', 2);
    io.out(`${accountRisk(kind).question} [y/N]`);
    const answer = await io.lines.next();
    if (answer.done || !/^y(es)?$/i.test(answer.value.trim())) throw new CommandError('Not signed in: you did not confirm.', 1);
  }

  const secrets = await openHeadlessSecretStore(dataDir, io.env);
  const provider = choice.kind === 'existing' ? choice.provider : providerSchema.parse({ id: choice.id, type: kind });
  const adapter = providerAdapter(kind)!;
  const outbound = resolveOutboundSettings(provider, new URL(adapter.defaultBaseUrl).origin, opened.config.network, io.env);
  const pool = new AccountPool({ dataDir, secrets: secrets.store });
  try {
    await pool.load();
    const proxy = outbound.proxyFor(undefined);
    const hostOverrides = opened.config.network?.hostOverrides;
    const clientSecret = provider.oauth?.clientSecret ? await resolveSecret(provider.oauth.clientSecret, { env: io.env, keychain: secrets.store }, `provider ${provider.id} oauth.clientSecret`) : undefined;
    const binding = { config: provider, ...(proxy ? { proxy } : {}), ...(hostOverrides ? { hostOverrides } : {}), ...(clientSecret !== undefined ? { clientSecret } : {}) };
    const handle = await pool.signIn(kind, binding, {
      ...(values.device ? { device: true } : {}),
      ...(values['start-url'] ? { startUrl: values['start-url'] } : {}),
      ...(values.region ? { region: values.region } : {}),
      ...(values.project ? { project: values.project } : {}),
    });
    for (const line of describePrompt(handle.prompt)) io.out(line);
    const onSignal = () => handle.cancel();
    process.once('SIGINT', onSignal);
    // A pasted redirect URL finishes a browser sign-in whose callback cannot reach this machine; a code prompt
    // (gemini-cli without a browser) takes the code itself, and only that way, so it reads lines also from a pipe.
    const takesCode = handle.prompt.kind === 'code';
    if (handle.submitRedirectUrl && (io.interactive || takesCode)) {
      void (async () => {
        for (let next = await io.lines.next(); !next.done; next = await io.lines.next()) {
          const line = next.value.trim();
          if (line.startsWith('http') || (takesCode && line.length > 0)) handle.submitRedirectUrl!(line);
        }
      })().catch(() => {});
    }
    let stored;
    try {
      stored = await handle.done;
    } finally {
      process.off('SIGINT', onSignal);
    }
    if (choice.kind === 'create') {
      const loaded = await loadSettings(opened.store);
      const document = structuredClone(loaded.document) as { config?: { providers?: unknown[] } } & typeof loaded.document;
      document.config ??= {};
      document.config.providers = [...(document.config.providers ?? []), { id: choice.id, type: kind }];
      await saveSettings(opened.store, document);
      io.out(`Created the provider "${choice.id}" (${kind}) in ${opened.store.location}.`);
    }
    const { record, updated } = stored;
    io.out(`${updated ? 'Signed in again' : 'Signed in'} as ${record.label}${record.plan ? ` (${record.plan})` : ''}${record.project ? `, project ${record.project}` : ''}${record.profileArn ? `, CodeWhisperer profile ${record.profileArn}` : ''}: account ${record.id} of provider ${record.providerId}.`);
    io.out(`Tokens are in: ${secrets.reason}. The next \`switchyard serve\` on ${dataDir} serves this account.`);
  } catch (error) {
    if (error instanceof SignInError) throw new CommandError(error.message, 1);
    throw error;
  } finally {
    await pool.close();
  }
}

async function list(args: string[], io: CommandIo): Promise<void> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
  const pool = new AccountPool({ dataDir, secrets: (await openHeadlessSecretStore(dataDir, io.env)).store });
  const records = await pool.load();
  await pool.close();
  if (records.length === 0) {
    io.out(`No signed-in accounts. Add one with: switchyard accounts add <${accountProviderTypes.join('|')}>`);
    return;
  }
  for (const record of records) {
    const state = record.state === 'ready' ? 'ready' : `sign in again (${record.stateReason ?? 'refused'})`;
    io.out(`${record.id}\t${record.kind}\tprovider ${record.providerId}\t${record.label}${record.plan ? ` (${record.plan})` : ''}${record.project ? `\tproject ${record.project}` : ''}${record.profileArn ? `\tprofile ${record.profileArn}` : ''}\t${state}`);
  }
}

async function remove(args: string[], io: CommandIo): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new CommandError(`Say which account to remove (see: switchyard accounts list).\n\n${accountsUsage}`, 2);
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
  const pool = new AccountPool({ dataDir, secrets: (await openHeadlessSecretStore(dataDir, io.env)).store });
  await pool.load();
  const removed = await pool.remove(id);
  await pool.close();
  if (!removed) throw new CommandError(`No account "${id}" (see: switchyard accounts list).`, 1);
  io.out(`Removed ${removed.id} (${removed.label}) and its tokens. Its vendor still lists the sign-in; revoke it there if you want.`);
}

const subcommands: Record<string, (args: string[], io: CommandIo) => Promise<void>> = { add, list, remove };

/** `switchyard accounts ...`. Throws CommandError with the exit code for anything the person must fix. */
export async function runAccountsCommand(args: string[], io: CommandIo): Promise<void> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') {
    io.out(accountsUsage);
    return;
  }
  const run = subcommands[subcommand];
  if (!run) throw new CommandError(`Unknown accounts command "${subcommand}".\n\n${accountsUsage}`, 2);
  try {
    await run(rest, io);
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new CommandError(`${(error as Error).message}\n\n${accountsUsage}`, 2);
    throw error;
  }
}

/** Lines from stdin, read only when asked for. */
export function stdinLines(): AsyncIterator<string> {
  const reader = createInterface({ input: process.stdin, terminal: false });
  const iterator = reader[Symbol.asyncIterator]();
  return iterator;
}

/** `switchyard accounts` in the command table of switchyard.ts. */
export const accountsCli: CliCommand = {
  usage: accountsUsage,
  async run(args, io) {
    // Whatever happens, nothing of the command may keep running afterwards (the stdin reader, pooled connections).
    try {
      await runAccountsCommand(args, { ...io, lines: stdinLines(), interactive: process.stdin.isTTY === true });
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      io.err(error.message);
      process.exit(error.exitCode);
    }
    process.exit(0);
  },
};
