import type { SwitchyardConfigInput } from '../../shared/config/config-schema.ts';
import { configSchema } from '../../shared/config/config-schema.ts';
import type { EngineOptions } from '../../main/core/engine.ts';
import { Engine } from '../../main/core/engine.ts';
import type { WebDashboard } from '../../main/core/control/attach-web-dashboard.ts';
import { attachWebDashboard } from '../../main/core/control/attach-web-dashboard.ts';
import type { ClientControlOptions } from '../../main/core/control/clients-handlers.ts';
import { createLogger } from '../../main/core/logging/logger.ts';
import { MemorySecretStore } from '../../main/core/secrets/secret-store.ts';
import type { SettingsStore } from '../../main/core/settings/settings-store.ts';
import { ReadOnlySettingsStore } from '../../main/core/settings/settings-store.ts';

export const testClientKey = 'sy-test-client-key-0123456789abcdef';
export const testManagementToken = 'sym-test-management-token-0123456789';

export interface RunningEngine {
  engine: Engine;
  /** http://127.0.0.1:<port> */
  url: string;
  clientKey: string;
  managementToken: string;
  /** Lines the engine logged (already masked). */
  logs: string[];
  /** The control service on the engine's /api/ routes, as `serve` attaches it. */
  dashboard: WebDashboard;
  stop(): Promise<void>;
}

/**
 * Starts a real engine on 127.0.0.1:0 with the given config (secrets usually as env refs resolved from `env`), with
 * the management API attached as `serve` attaches it. By default the settings are the config itself, read-only, as
 * with `serve --config`; pass `settings` for a writable store. Tests talk to it over HTTP with the official SDKs.
 */
export async function startEngine(
  config: SwitchyardConfigInput,
  options: { env?: Record<string, string>; logLevel?: 'error' | 'warn' | 'info' | 'debug'; settings?: SettingsStore; clients?: ClientControlOptions } & Partial<Omit<EngineOptions, 'config' | 'local' | 'env'>> = {},
): Promise<RunningEngine> {
  const logs: string[] = [];
  const { env, logLevel, settings, clients, ...rest } = options;
  const engine = await Engine.create({
    config: configSchema.parse(config),
    local: { clientKey: testClientKey, managementToken: testManagementToken },
    env: env ?? {},
    logger: createLogger({ level: logLevel ?? 'info', sink: (line) => logs.push(line) }),
    ...rest,
  });
  const dashboard = attachWebDashboard(engine, {
    settings: settings ?? new ReadOnlySettingsStore(config, 'the test config', 'The test config is fixed.'),
    secrets: rest.keychain ?? new MemorySecretStore(),
    clientKeyWhere: 'the test helper',
    env: env ?? {},
    logger: engine.logger,
    version: 'test',
    clients,
  });
  const { url } = await engine.start({ host: '127.0.0.1', port: 0 });
  return { engine, url, clientKey: testClientKey, managementToken: testManagementToken, logs, dashboard, stop: () => engine.stop(2_000) };
}
