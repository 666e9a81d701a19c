import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import { configSchema } from '../../../shared/config/config-schema.ts';
import { defaultDataDir } from '../config/data-dir.ts';
import { providersFromEnvironment } from '../config/environment-providers.ts';
import { ensureLocalCredentials } from '../config/local-credentials.ts';
import { ConfigError, loadConfigFile } from '../config/load-config.ts';
import { RuntimeConfigError } from '../config/runtime-config.ts';
import { Engine } from '../engine.ts';
import type { LogLevel } from '../logging/logger.ts';
import { createLogger } from '../logging/logger.ts';
import { maskSecret } from '../logging/secret-masker.ts';

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
  const implicitFile = join(dataDir, 'config.json');
  const configPath = options.config ?? (existsSync(implicitFile) ? implicitFile : undefined);

  let config: SwitchyardConfig;
  const logger = createLogger({ level: options.logLevel ?? 'info', sink: io.err });
  try {
    if (configPath) {
      const loaded = await loadConfigFile(configPath);
      for (const warning of loaded.warnings) logger.warn(`config: ${warning}`);
      config = loaded.config;
    } else {
      config = configSchema.parse({ providers: providersFromEnvironment(io.env) });
    }
  } catch (error) {
    if (error instanceof ConfigError) throw new StartError(error.message, 2);
    throw error;
  }
  if (options.logLevel === undefined) logger.level = config.server.logLevel;

  const local = await ensureLocalCredentials(dataDir);
  let engine: Engine;
  try {
    engine = await Engine.create({ config, local, env: io.env, logger, uiDir: options.uiDir });
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

  const usesGeneratedKey = config.server.clientKeys.length === 0;
  io.out(`Switchyard is serving on ${started.url}`);
  io.out(`  config:   ${configPath ?? 'none (providers from the environment)'}`);
  io.out(`  data dir: ${dataDir}`);
  if (config.providers.length === 0) {
    io.out('  providers: none yet. Set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY (or GEMINI_API_KEY_1..N), or pass --config <file>.');
  } else {
    for (const provider of config.providers) io.out(`  provider: ${provider.id} (${provider.type}, ${provider.keys.length} key${provider.keys.length === 1 ? '' : 's'})`);
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
  return engine;
}
