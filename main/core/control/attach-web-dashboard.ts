import type { Engine } from '../engine.ts';
import type { Logger } from '../logging/logger.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { ClientControlOptions } from './clients-handlers.ts';
import { registerControlRoutes } from './control-routes.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { webSessionFragmentKey } from '../../../shared/api-contract-web.ts';
import { readAppVersion } from './app-version.ts';
import { ControlService } from './control-service.ts';
import { loopbackUrl } from './test-connection.ts';

export interface WebDashboard {
  control: ControlService;
  /**
   * A dashboard link with a fresh one-time sign-in code in its fragment (`/ui/#code=...`), or undefined while the
   * engine is not listening. Each call issues a new code.
   */
  signInUrl(): string | undefined;
}

/**
 * Web mode for headless `serve`: the control service on the engine's management routes (behind the management token)
 * and sign-in links for the built dashboard the engine serves at /ui/.
 */
export function attachWebDashboard(
  engine: Engine,
  options: { settings: SettingsStore; secrets: SecretStore; clientKeyWhere: string; env: Record<string, string | undefined>; logger: Logger; version?: string; clients?: ClientControlOptions },
): WebDashboard {
  const control = new ControlService({
    mode: 'web',
    version: options.version ?? readAppVersion(),
    settings: options.settings,
    secrets: options.secrets,
    engine: () => engine,
    clientKeyWhere: options.clientKeyWhere,
    env: options.env,
    logger: options.logger,
    clients: options.clients,
  });
  const routes = registerControlRoutes(engine.management, control);
  engine.on('stopping', () => {
    routes.closeStreams();
    control.close();
  });
  return {
    control,
    signInUrl() {
      return engine.url ? `${loopbackUrl(engine.url)}/ui/#${webSessionFragmentKey}=${control.webSessions.issue()}` : undefined;
    },
  };
}
