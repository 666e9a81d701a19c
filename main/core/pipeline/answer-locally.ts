// Claude Code's side requests answered by Switchyard itself (`shaping.claudeCode.answerLocally`, docs/clients.md):
// no route, no guard, no provider call. The answer is written by the Anthropic codec, whole or as the SSE sequence
// the SDK expects (message_start, one text block, message_delta, message_stop), and the ledger row says `local`.
import type { CanonicalResponse } from '../formats/canonical/canonical-response.ts';
import type { CanonicalStreamEvent } from '../formats/canonical/canonical-stream-event.ts';
import { newId } from '../formats/canonical/ids.ts';
import { Warnings } from '../formats/canonical/warnings.ts';
import { codecFor } from '../formats/codecs.ts';
import { recogniseSideRequest, sideRequestAnswer } from '../shaping/claude-code-side-requests.ts';
import type { ModelAnswer } from './model-answer.ts';
import type { RequestContext } from './request-context.ts';

/** The local answer when this request is an enabled side request; undefined for every other request. */
export function answerLocally(context: RequestContext): ModelAnswer | undefined {
  const { request, runtime } = context;
  if (request.format !== 'anthropic' || request.operation !== 'generate') return undefined;
  const enabled = runtime.config.shaping?.claudeCode?.answerLocally ?? [];
  if (enabled.length === 0) return undefined;
  const kind = recogniseSideRequest(request.body, enabled);
  if (!kind) return undefined;

  context.usage.answeredLocally(kind);
  const text = sideRequestAnswer(kind, request.body);
  const id = newId('msg_');
  // Nothing was spent: the answer reports no tokens.
  const usage = { inputTokens: 0, outputTokens: 0 };
  const codec = codecFor('anthropic');
  const options = { warnings: new Warnings(), model: request.model, renamedTools: {}, customTools: [], includeUsage: false };
  const headers = { 'x-switchyard-local': kind };
  if (!request.stream) {
    const response: CanonicalResponse = { id, model: request.model, content: [{ type: 'text', text }], stopReason: 'end_turn', usage };
    return { kind: 'json', status: 200, body: JSON.stringify(codec.encodeResponse(response, options)), headers };
  }
  const events: CanonicalStreamEvent[] = [
    { type: 'message_start', id, model: request.model, usage },
    { type: 'block_start', index: 0, block: { kind: 'text' } },
    { type: 'text_delta', index: 0, text },
    { type: 'block_stop', index: 0 },
    { type: 'message_stop', stopReason: 'end_turn', usage },
  ];
  const encoder = codec.createStreamEncoder(options);
  context.response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  context.response.end(events.map((event) => encoder.encode(event)).join(''));
  return { kind: 'done' };
}
