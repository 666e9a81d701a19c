// One embeddings request served by one target (docs/translation.md "Embeddings"). An OpenAI client at an
// OpenAI-style provider is passed through (the model spliced in); everything else goes through the canonical
// request: Gemini clients to OpenAI-style providers, OpenAI clients to Gemini (base64 encoded here when asked).
import type { WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import { codecFor } from '../formats/codecs.ts';
import type { CanonicalEmbeddingRequest } from '../formats/embeddings/canonical-embeddings.ts';
import { embeddingCodec, embeddingFamilyOf } from '../formats/embeddings/embedding-codecs.ts';
import { estimateEmbeddingTokens } from '../formats/estimate-tokens.ts';
import type { ModelAnswer } from './model-answer.ts';
import type { ModelRequest } from './model-request.ts';
import { replaceJsonModel } from './replace-json-model.ts';
import { sendThroughGuard } from './send-through-guard.ts';
import { sideFamily } from './side-operations.ts';
import type { TargetCall } from './target-call.ts';
import { resultHeaders } from './target-call.ts';

/** The client's embeddings request in canonical terms; a 400 in the caller's format when it is malformed. */
export function decodeEmbeddingRequest(request: ModelRequest): CanonicalEmbeddingRequest {
  return embeddingCodec(embeddingFamilyOf(request.format)).decodeRequest(request.body, { single: request.singleContent === true });
}

export async function serveEmbeddings(call: TargetCall, embedding: CanonicalEmbeddingRequest): Promise<ModelAnswer> {
  const { request, provider, target, state, context } = call;
  const upstreamFamily = sideFamily(provider, 'embed')!;
  const clientFamily = embeddingFamilyOf(request.format);
  const upstreamCodec = embeddingCodec(upstreamFamily);
  const passthrough = upstreamFamily === clientFamily && upstreamCodec.modelInBody;
  const body = passthrough
    ? request.body.model === target.model
      ? request.rawBody
      : replaceJsonModel(request.rawBody, target.model)
    : Buffer.from(JSON.stringify(upstreamCodec.encodeRequest(embedding, target.model)));
  const upstreamFormat: WireFormat = upstreamFamily === 'gemini' ? 'gemini' : 'openai-chat';
  state.lastUpstreamFormat = upstreamFormat;

  const estimate = context.traits.estimatedInputTokens();
  context.usage.inputEstimate(estimate);
  const served = await sendThroughGuard(call, { upstreamFormat, body }, 'embed');
  const headers = resultHeaders(state);
  // OpenAI-style answers report `usage.prompt_tokens`, as chat answers do; Gemini's report nothing (estimated).
  if (context.usage.active && upstreamFamily === 'openai') context.usage.bufferedAnswer(codecFor('openai-chat').usage, served.body!);
  if (passthrough) return { kind: 'json', status: served.status, body: served.body!, headers };

  let parsed: unknown;
  try {
    parsed = JSON.parse(served.body!.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = upstreamCodec.decodeAnswer(parsed);
  if (!result || result.vectors.length !== embedding.inputs.length) {
    throw new ProxyError({ code: 'upstream_error', status: 502, message: `${provider.id}: the embeddings answer is not what was asked (${result ? `${result.vectors.length} vectors for ${embedding.inputs.length} inputs` : 'no vectors in it'})`, scope: 'provider', retryable: false, provider: provider.id });
  }
  const answer = embeddingCodec(clientFamily).encodeAnswer(result, embedding, request.model, estimate);
  return { kind: 'json', status: 200, body: JSON.stringify(answer), headers };
}

/** The guard's token windows count an embeddings request by its input (the engine's one estimator). */
export function embeddingTraits(embedding: CanonicalEmbeddingRequest) {
  let tokens: number | undefined;
  return {
    thinking: () => false,
    webSearch: () => false,
    estimatedInputTokens: () => (tokens ??= estimateEmbeddingTokens(embedding)),
  };
}
