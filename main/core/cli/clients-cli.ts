import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClientId } from '../clients/client-module.ts';
import { clientIds, isClientId, MalformedClientFileError } from '../clients/client-module.ts';
import { clientModule } from '../clients/client-modules.ts';
import type { ClientStatus } from '../clients/client-setup.ts';
import { ClientSetup } from '../clients/client-setup.ts';
import { renderDiff } from '../../../shared/line-diff.ts';
import { defaultDataDir } from '../config/data-dir.ts';
import { ConfigError } from '../config/load-config.ts';
import { credentialsFileName } from '../config/local-credentials.ts';
import { NamedClientKeys } from '../config/named-client-keys.ts';
import { maskSecret, SecretMasker } from '../logging/secret-masker.ts';
import { openHeadlessSecretStore } from '../secrets/open-headless-secret-store.ts';
import { KeyChecker } from '../server/client-auth.ts';
import { openHeadlessSettings } from '../settings/open-headless-settings.ts';
import { SettingsError } from '../../../shared/settings/migrate-settings.ts';
import type { CliCommand, CliIo } from './cli-command.ts';
import { parseCommandArgs, UsageError } from './cli-command.ts';

const usage = `Usage: switchyard clients status [--json]
       switchyard clients configure <${clientIds.join('|')}> [--dry-run]
       switchyard clients undo <${clientIds.join('|')}>
       switchyard clients keys
       switchyard clients revoke <tool name or key id>

Points Claude Code, Codex CLI and Gemini CLI at Switchyard by editing their own settings files, each with a client
key of its own, and undoes it exactly. configure changes only the keys Switchyard owns (docs/clients.md), takes a
byte-exact backup into the data dir before the first change, and changes nothing when run again.
  status     where each tool points (Switchyard, its vendor, elsewhere), whether its key works, backups
  configure  point a tool at Switchyard (--dry-run: show the change as a diff, write nothing)
  undo       restore the tool's files as they were before configure (or remove the ones it created), revoke its key
  keys       list the per-tool client keys (never the secrets); revoke removes one at once

Options:
  --home <dir>       the home folder whose tool settings to use (default: yours)
  --data-dir <dir>   Switchyard's data dir (keys, backups), as for serve
  --config <file>    the config serve runs with, to find its host and port
  --url <url>        the running Switchyard (default: from the settings, http://127.0.0.1:8787)
  --port <n>, --host <address>   override the host and port from the settings
Exit codes: 0 done, 1 failed (e.g. a malformed file; it is left untouched), 2 wrong usage.`;

interface Context {
  setup: ClientSetup;
  keys: NamedClientKeys;
  origin: string;
  dataDir: string;
  io: CliIo;
}

async function switchyardOrigin(values: { url?: string; port?: string; host?: string; config?: string }, dataDir: string, env: CliIo['env']): Promise<string> {
  if (values.url !== undefined) {
    let url: URL;
    try {
      url = new URL(values.url);
    } catch {
      throw new UsageError(`--url must be a URL such as http://127.0.0.1:8787, not "${values.url}".`);
    }
    return url.origin;
  }
  let host = values.host;
  let port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new UsageError(`--port must be a number from 1 to 65535, not "${values.port}".`);
  if (host === undefined || port === undefined) {
    const { config } = await openHeadlessSettings({ dataDir, configPath: values.config, env });
    host ??= config.server.host;
    port ??= config.server.port;
  }
  // A server listening on every address is reached on loopback.
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

async function generatedKeyChecker(dataDir: string): Promise<KeyChecker> {
  try {
    const stored = JSON.parse(await readFile(join(dataDir, credentialsFileName), 'utf8')) as { clientKey?: unknown };
    return new KeyChecker(typeof stored.clientKey === 'string' ? [stored.clientKey] : []);
  } catch {
    return new KeyChecker([]);
  }
}

async function isRunning(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1500) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function clientArgument(positionals: string[]): ClientId {
  const name = positionals[1];
  if (name === undefined) throw new UsageError(`Name the tool: ${clientIds.join(', ')}.`);
  if (!isClientId(name)) throw new UsageError(`Unknown tool "${name}". Switchyard can configure ${clientIds.join(', ')}.`);
  if (positionals.length > 2) throw new UsageError(`Unexpected argument "${positionals[2]}".`);
  return name;
}

function describeStatus(status: ClientStatus, origin: string): string[] {
  const installed = status.installation.executable ?? (status.installation.homeFolder ? `~/${clientModule(status.client).homeFolder} exists` : undefined);
  const lines = [`${status.displayName} (${status.client}): ${installed ? `installed (${installed})` : 'not found on PATH or in the home folder'}`];
  if (status.problem) lines.push(`  cannot read its settings: ${status.problem}`);
  else if (status.pointsAt === 'switchyard') {
    const key = status.key === 'valid' ? `with ${status.keyName ? `its own key "${status.keyName}"` : 'a working client key'}` : status.key === 'none' ? 'but without a client key' : 'but with a key Switchyard no longer accepts (revoked?): run configure again';
    lines.push(`  points at Switchyard (${status.baseUrl ?? origin}) ${key}`);
  } else if (status.pointsAt === 'vendor') lines.push(`  points at its vendor${status.baseUrl ? ` (${status.baseUrl})` : ' (its built-in default)'}`);
  else lines.push(`  points elsewhere: ${status.baseUrl ?? '?'}`);
  if (status.interrupted) lines.push('  a configure was interrupted: run configure again to finish it, or undo');
  if (status.backedUp) lines.push(`  backup kept: switchyard clients undo ${status.client} restores the files as they were`);
  for (const warning of status.warnings) lines.push(`  warning: ${warning}`);
  return lines;
}

async function status(context: Context, json: boolean): Promise<number> {
  const { setup, origin, io } = context;
  const statuses = await setup.status();
  const running = await isRunning(origin);
  if (json) {
    io.out(JSON.stringify({ switchyard: { url: origin, running }, clients: statuses }, null, 2));
    return 0;
  }
  io.out(`Switchyard: ${origin} (${running ? 'running' : 'not reachable now; start it with `switchyard serve` or the app'})`);
  for (const entry of statuses) for (const line of describeStatus(entry, origin)) io.out(line);
  return 0;
}

async function configure(context: Context, client: ClientId, dryRun: boolean): Promise<number> {
  const { setup, origin, io, dataDir } = context;
  const module = clientModule(client);
  const masker = new SecretMasker();
  if (dryRun) {
    const plan = await setup.plan(client);
    if (!plan.changed) {
      io.out(`${module.displayName} already points at Switchyard (${origin}); configure would change nothing.`);
      return 0;
    }
    io.out(`configure ${client} would write (${plan.keyAction === 'create' ? `a new key "${client}"` : `its existing key "${client}"`}; keys masked):`);
    for (const file of plan.files.filter((entry) => entry.changed)) for (const line of renderDiff(file.path, file.before, file.after)) io.out(masker.mask(line));
    for (const warning of plan.warnings) io.out(`warning: ${warning}`);
    return 0;
  }
  const result = await setup.configure(client);
  if (!result.plan.changed) {
    io.out(`${module.displayName} already points at Switchyard (${origin}) with its own key "${result.key.name}" (${maskSecret(`xxxxxxxx${result.key.last4}`)}); nothing changed.`);
  } else {
    io.out(`${module.displayName} now points at Switchyard (${origin}) with its own key "${result.key.name}" (${maskSecret(`xxxxxxxx${result.key.last4}`)}).`);
    for (const file of result.plan.files.filter((entry) => entry.changed)) io.out(`  ${file.before === undefined ? 'created' : 'changed'}: ${file.path}`);
    io.out(`  backup of the earlier files: ${setup.backups.clientFolder(client)}`);
    io.out(`  undo: switchyard clients undo ${client}${context.dataDir === defaultDataDir(io.env) ? '' : ` --data-dir ${dataDir}`}`);
  }
  for (const warning of result.plan.warnings) io.out(`  warning: ${warning}`);
  if (!(await isRunning(origin))) io.out(`  note: no Switchyard answers at ${origin} yet; start it (switchyard serve, or the app) before using ${module.displayName}.`);
  return 0;
}

async function undo(context: Context, client: ClientId): Promise<number> {
  const { setup, io } = context;
  const result = await setup.undo(client);
  const module = clientModule(client);
  if (!result) {
    io.out(`Nothing to undo: Switchyard holds no backup of ${module.displayName}'s files (it was not configured from this data dir, or was undone already).`);
    return 0;
  }
  io.out(`${module.displayName}'s files are back as they were before Switchyard configured them.`);
  for (const path of result.restored) io.out(`  restored: ${path}`);
  for (const path of result.removed) io.out(`  removed (Switchyard had created it): ${path}`);
  for (const { path, keptAt } of result.changedSince) io.out(`  note: ${path} had been changed after configure; that version is kept in ${keptAt}.`);
  for (const key of result.revokedKeys) io.out(`  revoked its client key "${key.name}" (${key.id})`);
  return 0;
}

async function listKeys(context: Context): Promise<number> {
  const keys = context.keys.list();
  if (keys.length === 0) context.io.out('No per-tool client keys yet (switchyard clients configure <tool> makes one).');
  for (const key of keys) context.io.out(`${key.id}  ${key.name.padEnd(12)}  created ${key.created}  ****${key.last4}`);
  return 0;
}

async function revoke(context: Context, positionals: string[]): Promise<number> {
  const target = positionals[1];
  if (target === undefined || positionals.length > 2) throw new UsageError('Name one key: a tool name (claude-code) or a key id (ck-...).');
  const revoked = await context.keys.revoke(target);
  if (revoked.length === 0) {
    context.io.err(`No client key named or with id "${target}". See: switchyard clients keys`);
    return 1;
  }
  for (const key of revoked) context.io.out(`Revoked "${key.name}" (${key.id}); Switchyard refuses it from now on.`);
  return 0;
}

export const clientsCli: CliCommand = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      home: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string', short: 'c' },
      url: { type: 'string' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    const action = positionals[0];
    if (values.help || action === 'help') {
      io.out(usage);
      return 0;
    }
    if (action === undefined) throw new UsageError('Say what to do: status, configure, undo, keys or revoke.');
    if (!['status', 'configure', 'undo', 'keys', 'revoke'].includes(action)) throw new UsageError(`Unknown action "${action}".`);
    if (values['dry-run'] && action !== 'configure') throw new UsageError('--dry-run goes with configure.');
    if (values.json && action !== 'status') throw new UsageError('--json goes with status.');

    const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
    const home = values.home ?? homedir();
    let origin: string;
    try {
      origin = await switchyardOrigin(values, dataDir, io.env);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof SettingsError) {
        io.err(error.message);
        return 1;
      }
      throw error;
    }
    let secrets: Awaited<ReturnType<typeof openHeadlessSecretStore>>;
    try {
      secrets = await openHeadlessSecretStore(dataDir, io.env);
    } catch (error) {
      io.err((error as Error).message);
      return 1;
    }
    const keys = new NamedClientKeys(dataDir, { secrets: secrets.store });
    const setup = new ClientSetup({ dataDir, home, origin, keys, otherKeys: await generatedKeyChecker(dataDir), env: io.env });
    const context: Context = { setup, keys, origin, dataDir, io };
    try {
      if (action === 'status') return await status(context, values.json === true);
      if (action === 'keys') return await listKeys(context);
      if (action === 'revoke') return await revoke(context, positionals);
      const client = clientArgument(positionals);
      return action === 'configure' ? await configure(context, client, values['dry-run'] === true) : await undo(context, client);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      if (error instanceof MalformedClientFileError || error instanceof Error) {
        io.err(error.message);
        return 1;
      }
      throw error;
    }
  },
};
