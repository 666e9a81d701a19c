import type { SwitchyardConfigInput } from '../../shared/config/config-schema.ts';
import { configSchema } from '../../shared/config/config-schema.ts';
import type { EngineOptions } from '../../main/core/engine.ts';
import { Engine } from '../../main/core/engine.ts';
import { createLogger } from '../../main/core/logging/logger.ts';

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
  stop(): Promise<void>;
}

/**
 * Starts a real engine on 127.0.0.1:0 with the given config (secrets usually as env refs resolved from `env`).
 * Tests talk to it over HTTP with the official SDKs.
 */
export async function startEngine(
  config: SwitchyardConfigInput,
  options: { env?: Record<string, string>; logLevel?: 'error' | 'warn' | 'info' | 'debug' } & Partial<Omit<EngineOptions, 'config' | 'local' | 'env'>> = {},
): Promise<RunningEngine> {
  const logs: string[] = [];
  const { env, logLevel, ...rest } = options;
  const engine = await Engine.create({
    config: configSchema.parse(config),
    local: { clientKey: testClientKey, managementToken: testManagementToken },
    env: env ?? {},
    logger: createLogger({ level: logLevel ?? 'info', sink: (line) => logs.push(line) }),
    ...rest,
  });
  const { url } = await engine.start({ host: '127.0.0.1', port: 0 });
  return { engine, url, clientKey: testClientKey, managementToken: testManagementToken, logs, stop: () => engine.stop(2_000) };
}
