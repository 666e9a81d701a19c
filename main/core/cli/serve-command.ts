import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import { SettingsError } from '../../../shared/settings/migrate-settings.ts';
import { isAccountProviderType } from '../../../shared/config/provider-schema.ts';
import { defaultDataDir } from '../config/data-dir.ts';
import { ensureLocalCredentials } from '../config/local-credentials.ts';
import { ConfigError } from '../config/load-config.ts';
import { NamedClientKeys } from '../config/named-client-keys.ts';
import { attachWebDashboard } from '../control/attach-web-dashboard.ts';
import { openHeadlessSecretStore } from '../secrets/open-headless-secret-store.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { openHeadlessSettings } from '../settings/open-headless-settings.ts';
import { RuntimeConfigError } from '../config/runtime-config.ts';
import { Engine } from '../engine.ts';
import { watchConfigFile } from '../config/watch-config-file.ts';
import type { LogLevel } from '../logging/logger.ts';
import { createLogger } from '../logging/logger.ts';
import { maskSecret } from '../logging/secret-masker.ts';
import { watchAccountsFile } from '../accounts/watch-accounts-file.ts';
import { createExecutionGuard } from '../guard/execution-guard.ts';
import { clusterRedisUrl, openSharedState } from '../guard/shared-state/open-shared-state.ts';
import { cleanCrashLeftovers } from '../config/crash-leftovers.ts';

export interface ServeOptions {
  config?: string;
  port?: number;
  host?: string;
  dataDir?: string;
  logLevel?: LogLevel;
  uiDir?: string;
}

export interface ServeIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: 2 = the configuration is invalid, 1 = could not start for another reason. */
export class StartError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/**
 * `switchyard serve`: loads the config (the given file, else <dataDir>/config.json if present, else zero-config from
 * the environment), makes sure a client key exists, starts the engine and prints how to connect.
 */
export async function startServe(options: ServeOptions, io: ServeIo): Promise<Engine> {
  const dataDir = options.dataDir ?? defaultDataDir(io.env);
  const configPath = options.config;

  let config: SwitchyardConfig;
  let settingsStore: SettingsStore;
  let settingsSource: string;
  const logger = createLogger({ level: options.logLevel ?? 'info', sink: io.err });
  try {
    const opened = await openHeadlessSettings({ dataDir, configPath, env: io.env });
    for (const warning of opened.warnings) logger.warn(`config: ${warning}`);
    ({ config, store: settingsStore, source: settingsSource } = opened);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SettingsError) throw new StartError(error.message, 2);
    throw error;
  }
  if (options.logLevel === undefined) logger.level = config.server.logLevel;

  const local = await ensureLocalCredentials(dataDir);
  // Keys pasted in the web dashboard: the OS keychain when one answers, else a 0600 file (docs/security.md).
  let secrets: Awaited<ReturnType<typeof openHeadlessSecretStore>>;
  try {
    secrets = await openHeadlessSecretStore(dataDir, io.env);
  } catch (error) {
    throw new StartError((error as Error).message, 2);
  }
  // A crash may have left temporary files (one may hold pasted keys) and secrets no setting names any more.
  const leftovers = await cleanCrashLeftovers({ dataDir, secrets: secrets.store, configFiles: configPath ? [configPath] : [] }).catch((error: unknown) => {
    logger.warn('crash leftovers were not cleaned', { error: String(error) });
    return undefined;
  });
  if (leftovers && leftovers.removedFiles.length + leftovers.removedSecrets.length > 0) {
    logger.info('removed what an earlier crash left behind', { files: leftovers.removedFiles.length, secrets: leftovers.removedSecrets.length });
  }
    // Several instances share one guard state through Redis when a URL is set (docs/cluster.md).
  const redisUrl = clusterRedisUrl(config.cluster, io.env);
  let shared: Awaited<ReturnType<typeof openSharedState>> | undefined;
  try {
    shared = redisUrl ? await openSharedState(redisUrl, config.cluster, logger) : undefined;
  } catch (error) {
    throw new StartError((error as Error).message, 2);
  }
  const guard = shared ? createExecutionGuard({ sharedState: shared.store }) : undefined;
  // Per-tool keys written by `switchyard clients configure` (or the dashboard); created or revoked elsewhere, they count at once.
  const namedClientKeys = new NamedClientKeys(dataDir, { secrets: secrets.store });
  let engine: Engine;
  try {
    engine = await Engine.create({ config, local, env: io.env, logger, uiDir: options.uiDir, keychain: secrets.store, accounts: { dataDir, secrets: secrets.store }, namedClientKeys, dataDir, ...(guard ? { guard } : {}) });
  } catch (error) {
    if (error instanceof RuntimeConfigError) {
      throw new StartError(`${configPath ?? 'The configuration'} cannot be used:\n${error.problems.map((problem) => `  ${problem}`).join('\n')}`, 2);
    }
    throw error;
  }

  let started: { url: string };
  try {
    started = await engine.start({ host: options.host, port: options.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const port = options.port ?? config.server.port;
    if (code === 'EADDRINUSE') throw new StartError(`Port ${port} is already in use. Is Switchyard already running? Pick another with --port.`, 1);
    if (code === 'EACCES') throw new StartError(`Not allowed to listen on port ${port}. Pick a port above 1024 with --port.`, 1);
    if (code === 'EADDRNOTAVAIL') throw new StartError(`This machine has no address ${options.host ?? config.server.host}. Check --host.`, 1);
    throw error;
  }
  if (shared) engine.once('stopping', () => void shared.store.close());

  if (configPath) {
    // Edits to the config file apply live; an invalid edit is refused and logged (docs/routing.md "Live switching").
    const watcher = watchConfigFile(configPath, engine, logger);
    engine.once('stopping', () => watcher.close());
  }

  // Accounts added in the terminal while serve runs (switchyard accounts add) join without a restart.
  const accountsWatcher = watchAccountsFile(dataDir, () => void engine.applyConfig(engine.config).catch((error: unknown) => logger.warn('reloading accounts failed', { error: String(error) })));
  engine.once('stopping', () => accountsWatcher.close());

  const usesGeneratedKey = config.server.clientKeys.length === 0;
  const dashboard = attachWebDashboard(engine, {
    settings: settingsStore,
    secrets: secrets.store,
    clientKeyWhere: usesGeneratedKey ? `${local.path} ("clientKey")` : 'the client keys of your config file',
    env: io.env,
    logger,
    // The dashboard configures the tools of the home folder serve runs for (HOME as serve sees it).
    clients: { dataDir, keys: namedClientKeys, home: io.env.HOME || io.env.USERPROFILE || undefined },
  });
  io.out(`Switchyard is serving on ${started.url}`);
  io.out(`  settings: ${settingsSource}`);
  io.out(`  data dir: ${dataDir}`);
  io.out(`  pasted keys go to: ${secrets.reason}`);
  if (shared) io.out(`  guard state: ${shared.summary}`);
  if (config.providers.length === 0) {
    io.out('  providers: none yet. Add one in the dashboard, set ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY (or GEMINI_API_KEY_1..N), OPENROUTER_API_KEY, DEEPSEEK_API_KEY, ... (docs/configuration.md), or pass --config <file>.');
  } else {
    for (const provider of config.providers) {
      const accounts = engine.accounts?.records(provider.id);
      const count = isAccountProviderType(provider.type) ? `${accounts?.length ?? 0} signed-in account${accounts?.length === 1 ? '' : 's'}` : `${provider.keys.length} key${provider.keys.length === 1 ? '' : 's'}`;
      io.out(`  provider: ${provider.id} (${provider.type}, ${count})`);
    }
  }
  if (config.activeCombo) io.out(`  active combo: ${config.activeCombo}`);
  if (usesGeneratedKey && local.created) {
    io.out(`  client key (new, shown once; saved in ${local.path}):`);
    io.out(`    ${local.clientKey}`);
  } else if (usesGeneratedKey) {
    io.out(`  client key: ${maskSecret(local.clientKey)} (full key in ${local.path})`);
  } else {
    io.out('  client keys: from the config file');
  }
  io.out(`  management token: in ${local.path}`);
  if (options.uiDir) {
    // The code in the fragment works once and for 15 minutes; browsers never send fragments to the server.
    io.out(`  dashboard (one-time sign-in link, valid 15 minutes): ${dashboard.signInUrl()}`);
  } else {
    io.out('  dashboard: not built (run `npm run build` to serve it at /ui/)');
  }
  return engine;
}
