import type { SwitchyardConfig } from '../../../../shared/config/config-schema.ts';
import { wireFormats } from '../../../../shared/wire-format.ts';
import type { WireFormat } from '../../../../shared/wire-format.ts';
import type { RuntimeConfig } from '../../config/runtime-config.ts';
import { requestError } from '../../errors/proxy-error.ts';
import type { CatalogEntry } from '../../router/model-catalog.ts';
import { fixedTraits, requestTraits } from '../../router/request-traits.ts';
import { routeModel } from '../../router/resolve-targets.ts';
import { previewRouterState } from '../../router/router-state.ts';
import type { ManagementRouter } from './management-router.ts';

interface RoutingEngineView {
  readonly config: SwitchyardConfig;
  runtime(): RuntimeConfig;
  /** Switches the combo that serves bare names; requests in flight keep the target they started with. */
  setActiveCombo(name: string | undefined): void;
  readonly modelCatalog: { refresh(runtime: RuntimeConfig, options?: { force?: boolean }): Promise<CatalogEntry[]>; models(providerId: string): readonly string[] | undefined };
}

function combosView(config: SwitchyardConfig) {
  return config.combos.map((combo) => ({
    name: combo.name,
    strategy: combo.strategy,
    targets: combo.targets.map((target) => (typeof target === 'string' ? target : target.target)),
  }));
}

/**
 * Routing under /api (docs/routing.md "Live switching"):
 *   GET  /api/active-combo            the active combo and all combos
 *   PUT  /api/active-combo {"name"}   switch it (null clears it); no restart, in-flight requests unaffected
 *   POST /api/routing/resolve         dry run: {"model", "format"?, "body"?} -> the targets a request would try
 *   GET  /api/models[?refresh=1]      each provider's model list (fetched from the provider where it offers one)
 */
export function registerRoutingManagementRoutes(router: ManagementRouter, engine: RoutingEngineView): void {
  router.add('GET', '/api/active-combo', () => ({ activeCombo: engine.config.activeCombo ?? null, combos: combosView(engine.config) }));

  router.add('PUT', '/api/active-combo', ({ body }) => {
    const name = (body as { name?: unknown } | undefined)?.name;
    if (name !== null && typeof name !== 'string') throw requestError('invalid_request', 400, 'Send {"name": "<combo name>"} (or {"name": null} to clear the active combo).');
    if (typeof name === 'string' && !engine.config.combos.some((combo) => combo.name === name)) {
      const known = engine.config.combos.map((combo) => combo.name);
      throw requestError('not_found', 404, `No combo named "${name}".${known.length > 0 ? ` Combos: ${known.join(', ')}.` : ' No combos are configured.'}`);
    }
    engine.setActiveCombo(name ?? undefined);
    return { activeCombo: engine.config.activeCombo ?? null };
  });

  router.add('POST', '/api/routing/resolve', ({ body }) => {
    const input = (body ?? {}) as { model?: unknown; format?: unknown; body?: unknown };
    if (typeof input.model !== 'string' || input.model === '') throw requestError('invalid_request', 400, 'Send {"model": "<name>"}, optionally with "format" and a request "body".');
    const format: WireFormat = wireFormats.includes(input.format as WireFormat) ? (input.format as WireFormat) : 'anthropic';
    const requestBody = typeof input.body === 'object' && input.body !== null ? (input.body as Record<string, unknown>) : undefined;
    const runtime = engine.runtime();
    const plan = routeModel({
      model: input.model,
      config: runtime.config,
      traits: requestBody ? requestTraits(format, requestBody) : fixedTraits({}),
      models: (providerId) => [...(runtime.providers.get(providerId)?.models ?? []), ...(engine.modelCatalog.models(providerId) ?? [])],
      state: previewRouterState,
    });
    return { model: input.model, route: plan.route, targets: plan.targets };
  });

  router.add('GET', '/api/models', async ({ url }) => ({
    providers: await engine.modelCatalog.refresh(engine.runtime(), { force: url.searchParams.get('refresh') === '1' }),
  }));
}
