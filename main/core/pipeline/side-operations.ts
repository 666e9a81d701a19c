// Embeddings and image generation: operations only some providers serve. The adapter is the one home of that fact
// (ProviderAdapter.embeddings / imageGeneration); here the router's targets are narrowed to those that serve it.
import type { RuntimeConfig, RuntimeProvider } from '../config/runtime-config.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import { providerAdapter, supportedProviderTypes } from '../providers/index.ts';
import type { ProviderAdapter, SideApiFamily } from '../providers/provider-adapter.ts';
import type { RouteTarget } from '../router/route-target.ts';
import type { ModelOperation } from './model-request.ts';

export type SideOperation = Extract<ModelOperation, 'embed' | 'generateImage'>;

export function isSideOperation(operation: ModelOperation): operation is SideOperation {
  return operation === 'embed' || operation === 'generateImage';
}

/** The wire family the provider speaks for the operation, or undefined when it does not serve it. */
export function sideFamily(provider: Pick<RuntimeProvider, 'adapter'>, operation: SideOperation): SideApiFamily | undefined {
  return familyOf(provider.adapter, operation);
}

function familyOf(adapter: ProviderAdapter | undefined, operation: SideOperation): SideApiFamily | undefined {
  return operation === 'embed' ? adapter?.embeddings : adapter?.imageGeneration;
}

const what: Record<SideOperation, string> = { embed: 'embeddings', generateImage: 'image generation' };

/**
 * The targets whose provider serves the operation, in combo order. None left: a 404 (scope request: nothing else
 * to try) that names every provider asked and which configured providers would serve it.
 */
export function targetsServing(targets: readonly RouteTarget[], runtime: RuntimeConfig, operation: SideOperation, requested: string): RouteTarget[] {
  const serving = targets.filter((target) => {
    const provider = runtime.providers.get(target.providerId);
    return provider !== undefined && sideFamily(provider, operation) !== undefined;
  });
  if (serving.length > 0) return serving;
  const asked = [...new Set(targets.map((target) => target.providerId))];
  const able = [...runtime.providers.values()].filter((provider) => sideFamily(provider, operation) !== undefined).map((provider) => provider.id);
  const names = asked.map((id) => `"${id}" (${runtime.providers.get(id)?.config.type ?? 'unknown'})`).join(', ');
  const kinds = supportedProviderTypes().filter((type) => familyOf(providerAdapter(type), operation) !== undefined);
  const hint = able.length > 0 ? ` Providers here that do: ${able.join(', ')}.` : ` No provider configured here serves it (provider kinds that can: ${kinds.join(', ')}).`;
  return fail(`"${requested}" resolves to ${names}, which does not serve ${what[operation]}.${hint} See docs/clients.md.`);
}

function fail(message: string): never {
  throw new ProxyError({ code: 'not_found', status: 404, message, scope: 'request' });
}
