// How a Responses stream ends after a failure: an `error` event (the SDK's stream iterator raises it as an APIError)
// then `response.failed` carrying the response with its error, the terminal event Codex waits for.
import type { CanonicalStreamError } from '../canonical/canonical-stream-event.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import type { StreamErrorSignature } from '../codec.ts';
import { newId, nowSeconds } from '../canonical/ids.ts';
import { namedSseEvent } from '../sse/sse-writer.ts';
import { responseObject } from './encode-response.ts';
import { responsesErrorCode } from './responses-vocabulary.ts';

/** Writes one Responses event; the stream encoder numbers them, a passthrough tail cannot know the count. */
export type EmitResponsesEvent = (type: string, payload: JsonObject) => string;

export function responsesFailureEvents(error: CanonicalStreamError, emit: EmitResponsesEvent, failedResponse: (error: JsonObject) => JsonObject): string {
  const code = responsesErrorCode(error.status, error.code);
  return emit('error', { code, message: error.message, param: null }) + emit('response.failed', { response: failedResponse({ code, message: error.message }) });
}

/**
 * The failure tail of a passthrough stream: the upstream wrote the earlier events, so the response id and the
 * sequence numbers are not known here; the failed response is a fresh one with no output.
 */
export function responsesStreamFailure(error: CanonicalStreamError): string {
  const emit: EmitResponsesEvent = (type, payload) => namedSseEvent(type, { type, ...payload });
  const failed = (detail: JsonObject) =>
    responseObject({ id: newId('resp_'), createdAt: nowSeconds(), model: '', status: 'failed', output: [], usage: undefined, error: detail });
  return responsesFailureEvents(error, emit, failed);
}

export const responsesStreamErrorSignature: StreamErrorSignature = {
  needles: [Buffer.from('event: error'), Buffer.from('event: response.failed')],
  marker: /^event: (error|response\.failed)$/m,
};
