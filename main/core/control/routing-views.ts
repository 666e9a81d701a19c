import type { ApiParsedArgs, ModelCatalogView, RoutePreview } from '../../../shared/api-contract.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import type { CatalogEntry } from '../router/model-catalog.ts';
import type { RoutePreviewInput } from '../router/preview-route.ts';
import type { RoutePlan } from '../router/resolve-targets.ts';
import { ControlError, notFound } from './control-error.ts';

/** What the routing channels need of the engine; main/core/engine.ts has both. */
export interface RoutingEngine {
  previewRoute(input: RoutePreviewInput): RoutePlan;
  modelLists(options?: { force?: boolean }): Promise<CatalogEntry[]>;
}

function requireEngine<T>(engine: T | undefined): T {
  if (!engine) throw new ControlError('unavailable', 'Switchyard is not serving right now; routes and model lists are known once it runs.');
  return engine;
}

/** `routing.resolve`: the router's plan, or the router's own "unknown model" words as a not_found. */
export function routePreview(engine: RoutingEngine | undefined, args: ApiParsedArgs<'routing.resolve'>): RoutePreview {
  const running = requireEngine(engine);
  let plan: RoutePlan;
  try {
    plan = running.previewRoute({ model: args.model, format: args.format, body: args.body });
  } catch (error) {
    if (error instanceof ProxyError && error.status === 404) throw notFound(error.message);
    throw error;
  }
  return {
    model: args.model,
    route: plan.route,
    targets: plan.targets.map((target) => ({
      providerId: target.providerId,
      model: target.model,
      combos: [...(target.combos ?? [])],
      keyIds: target.keyIds ? [...target.keyIds] : null,
    })),
  };
}

/** `models.list` / `models.refresh`. */
export async function modelCatalogView(engine: RoutingEngine | undefined, force: boolean): Promise<ModelCatalogView> {
  const entries = await requireEngine(engine).modelLists({ force });
  return {
    providers: entries.map((entry) => ({
      providerId: entry.providerId,
      models: [...entry.models],
      source: entry.source,
      fetchedAt: entry.fetchedAt ?? null,
      error: entry.error ?? null,
    })),
  };
}
