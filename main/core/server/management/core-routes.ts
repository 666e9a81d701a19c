import type { ManagementRouter } from './management-router.ts';
import { listedModels } from '../list-models.ts';
import type { SwitchyardConfig } from '../../../../shared/config/config-schema.ts';

interface EngineView {
  readonly config: SwitchyardConfig;
  readonly url: string | undefined;
}

/**
 * Routes every engine has. Feature areas register theirs in their own files. This minimal GET /api/status serves an
 * engine running without a control service; when one is attached (web mode, the desktop app), control-routes.ts
 * replaces it with the contract's full status.
 */
export function registerCoreManagementRoutes(router: ManagementRouter, engine: EngineView): void {
  router.add('GET', '/api/status', () => ({
    status: 'serving',
    url: engine.url,
    providers: engine.config.providers.map((provider) => ({ id: provider.id, type: provider.type, enabled: provider.enabled, keys: provider.keys.length })),
    combos: engine.config.combos.map((combo) => combo.name),
    activeCombo: engine.config.activeCombo ?? null,
    models: listedModels(engine.config).map((model) => model.id),
  }));
}
