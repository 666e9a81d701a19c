// One image generation request served by one target (docs/translation.md "Images"). OpenAI-style providers get the
// client's bytes (model spliced in) and their answer is relayed as it arrives, never held whole. Gemini image models
// get a generateContent request; their answer is read once and the images are written out as slices of it.
import { ProxyError } from '../errors/proxy-error.ts';
import { codecFor } from '../formats/codecs.ts';
import { encodeGeminiImageRequest } from '../formats/images/gemini-image-request.ts';
import { findInlineImages, openaiImagesAnswer } from '../formats/images/gemini-image-answer.ts';
import type { ImageRequest } from '../formats/images/image-request.ts';
import { decodeImageRequest } from '../formats/images/image-request.ts';
import { estimateTextTokens } from '../formats/estimate-tokens.ts';
import { targetLabel } from '../router/route-target.ts';
import type { ModelAnswer } from './model-answer.ts';
import type { ModelRequest } from './model-request.ts';
import type { ChunkTransform } from './relay-stream.ts';
import { relayStream } from './relay-stream.ts';
import { replaceJsonModel } from './replace-json-model.ts';
import { abandonServed, sendThroughGuard } from './send-through-guard.ts';
import { sideFamily } from './side-operations.ts';
import type { TargetCall } from './target-call.ts';
import { resultHeaders } from './target-call.ts';

export function decodeImageGeneration(request: ModelRequest): ImageRequest {
  return decodeImageRequest(request.body);
}

/** The guard's token windows count an image request by its prompt. */
export function imageTraits(image: ImageRequest) {
  return { thinking: () => false, webSearch: () => false, estimatedInputTokens: () => estimateTextTokens([image.prompt]) };
}

export async function serveImages(call: TargetCall, image: ImageRequest): Promise<ModelAnswer> {
  call.context.usage.inputEstimate(call.context.traits.estimatedInputTokens());
  return sideFamily(call.provider, 'generateImage') === 'gemini' ? serveFromGemini(call, image) : relayFromOpenaiStyle(call);
}

/** The bytes as they come: usage read on the way (gpt-image models report it like the Responses API does). */
const unchanged: ChunkTransform = { push: (chunk) => chunk, end: () => '', fail: () => '' };

async function relayFromOpenaiStyle(call: TargetCall): Promise<ModelAnswer> {
  const { request, target, state, context, provider } = call;
  state.lastUpstreamFormat = 'openai-chat';
  const body = request.body.model === target.model ? request.rawBody : replaceJsonModel(request.rawBody, target.model);
  const served = await sendThroughGuard(call, { upstreamFormat: 'openai-chat', body }, 'generateImage', { relay: true });
  const headers = resultHeaders(state);
  const contentType = served.headers['content-type'];
  headers['content-type'] = typeof contentType === 'string' ? contentType : 'application/json';
  // The guard holds the slot until `finished` settles: anything that throws from here on must settle it.
  try {
    call.deps.stepProbe?.('write', { model: request.model });
    context.response.writeHead(served.status, headers);
    const reader = context.usage.streamReader(codecFor('openai-responses').usage, request.stream);
    const transform: ChunkTransform = reader ? { ...unchanged, push: (chunk) => (reader.push(chunk), chunk) } : unchanged;
    await relayStream(context.response, served.stream!, transform, provider.id, context.signal);
    served.finished!.resolve();
  } catch (error) {
    abandonServed(served, error);
    throw error;
  }
  return { kind: 'done' };
}

async function serveFromGemini(call: TargetCall, image: ImageRequest): Promise<ModelAnswer> {
  const { provider, state, context, deps, target } = call;
  if (image.stream) {
    throw new ProxyError({ code: 'unsupported', status: 400, scope: 'target', message: `${targetLabel(target)}: streamed image generation needs an OpenAI-style provider; Gemini image models answer whole. Send "stream": false.` });
  }
  state.lastUpstreamFormat = 'gemini';
  const encoded = encodeGeminiImageRequest(image);
  for (const warning of encoded.warnings) deps.logger.warn('translation dropped something', { target: targetLabel(target), warning });
  const served = await sendThroughGuard(call, { upstreamFormat: 'gemini', body: Buffer.from(JSON.stringify(encoded.body)) }, 'generateImage');
  const bytes = served.body!;
  // Read as a stream: the usage scanner finds usageMetadata by its bytes instead of parsing megabytes of image.
  context.usage.bufferedAnswer(codecFor('gemini').usage, bytes, true);
  const images = findInlineImages(bytes);
  if (images.length === 0) {
    const reason = /"finishReason"\s*:\s*"([A-Z_]+)"/.exec(bytes.toString('utf8', 0, Math.min(bytes.length, 64 * 1024)))?.[1];
    throw new ProxyError({
      code: 'upstream_error',
      status: 502,
      scope: 'target',
      provider: provider.id,
      message: `${targetLabel(target)} answered without an image${reason ? ` (finishReason ${reason})` : ''}. Use a Gemini image model, e.g. gemini-2.5-flash-image.`,
    });
  }
  const created = Math.floor(deps.now() / 1000);
  return { kind: 'json', status: 200, body: openaiImagesAnswer(bytes, images, { responseFormat: image.responseFormat, created }), headers: resultHeaders(state) };
}
