import type { WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import type { RuntimeProvider } from '../config/runtime-config.ts';
import type { RouteTarget } from '../router/route-target.ts';
import type { ModelRequest } from './model-request.ts';
import { passthroughTransform } from './passthrough-transform.ts';
import type { ChunkTransform } from './relay-stream.ts';
import { replaceJsonModel } from './replace-json-model.ts';

/** How one request is sent to one target: in which format, with which bytes, and how the answer comes back. */
export interface TargetPlan {
  upstreamFormat: WireFormat;
  body: Buffer;
  /** Turns a complete upstream answer into the client's format (identity for passthrough). */
  convertResponse(upstreamBody: Buffer): Buffer;
  createStreamTransform(): ChunkTransform;
  warnings: string[];
}

export function chooseUpstreamFormat(provider: RuntimeProvider, clientFormat: WireFormat): WireFormat {
  return provider.adapter.nativeFormats.includes(clientFormat) ? clientFormat : provider.adapter.nativeFormats[0]!;
}

export function planTarget(request: ModelRequest, provider: RuntimeProvider, target: RouteTarget): TargetPlan {
  const upstreamFormat = chooseUpstreamFormat(provider, request.format);
  if (upstreamFormat === request.format) {
    // Same format: the client's bytes go upstream unchanged except the model name (Gemini has it in the URL).
    const body = request.format === 'gemini' || request.body.model === target.model ? request.rawBody : replaceJsonModel(request.rawBody, target.model);
    return {
      upstreamFormat,
      body,
      convertResponse: (upstreamBody) => upstreamBody,
      createStreamTransform: () => passthroughTransform(request.format, provider.id),
      warnings: [],
    };
  }
  throw new ProxyError({
    code: 'unsupported',
    status: 501,
    message: `${provider.id} speaks ${upstreamFormat}; translation from ${request.format} is not available in this build`,
    scope: 'request',
    provider: provider.id,
  });
}
