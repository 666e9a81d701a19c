import type { WireFormat } from '../../../shared/wire-format.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import { fixedTraits, requestTraits } from './request-traits.ts';
import type { ModelLookup, RoutePlan } from './resolve-targets.ts';
import { routeModel } from './resolve-targets.ts';
import { previewRouterState } from './router-state.ts';

export interface RoutePreviewInput {
  model: string;
  /** The wire format the request would arrive in (it decides how the scenario rules read the body). */
  format: WireFormat;
  /** A request body; without one no scenario rule applies. */
  body?: Record<string, unknown>;
}

/**
 * A dry run of the router (docs/routing.md "Live switching"): the targets a request would try, in order, without
 * sending anything and without advancing round-robin turns or drawing weights. Throws the router's 404 for names
 * that name nothing.
 */
export function previewRoute(runtime: RuntimeConfig, fetchedModels: ModelLookup, input: RoutePreviewInput): RoutePlan {
  return routeModel({
    model: input.model,
    config: runtime.config,
    traits: input.body ? requestTraits(input.format, input.body) : fixedTraits({}),
    models: (providerId) => [...(runtime.providers.get(providerId)?.models ?? []), ...(fetchedModels(providerId) ?? [])],
    state: previewRouterState,
  });
}
