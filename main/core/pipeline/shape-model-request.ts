import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { ShapingConfig } from '../../../shared/config/shaping-schema.ts';
import type { RuntimeProvider } from '../config/runtime-config.ts';
import type { ModelRequest } from './model-request.ts';
import type { RouteTarget } from '../router/route-target.ts';
import { shapeRequest } from '../shaping/shape-request.ts';

/** The shaping rule sets for one target: its combos' (outermost first), then its provider's. */
export function shapingRules(config: SwitchyardConfig, provider: RuntimeProvider, target: RouteTarget): ShapingConfig[] {
  const rules: ShapingConfig[] = [];
  for (const name of target.combos ?? []) {
    const shaping = config.combos.find((combo) => combo.name === name)?.shaping;
    if (shaping) rules.push(shaping);
  }
  if (provider.config.shaping) rules.push(provider.config.shaping);
  return rules;
}

/**
 * The client's request as shaped for one target. Unchanged requests come back as the same object, so same-format
 * passthrough still sends the client's exact bytes; a changed one is serialised once, here.
 */
export function shapeModelRequest(request: ModelRequest, config: SwitchyardConfig, provider: RuntimeProvider, target: RouteTarget): ModelRequest {
  const rules = shapingRules(config, provider, target);
  if (rules.length === 0) return request;
  const shaped = shapeRequest(request.format, request.body, target.model, rules);
  if (!shaped.changed) return request;
  return { ...request, body: shaped.body, rawBody: Buffer.from(JSON.stringify(shaped.body)) };
}
