import { crc32 } from 'node:zlib';

// Writes AWS binary event-stream messages as CodeWhisperer sends them (string headers only, as its answers use):
// total length, headers length, prelude CRC32, headers, payload, message CRC32 — all big-endian.

export function encodeEventMessage(headers: Record<string, string>, payload: Buffer | string): Buffer {
  const headerParts = Object.entries(headers).map(([name, value]) => {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const part = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    part.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(part, 1);
    part.writeUInt8(7, 1 + nameBytes.length);
    part.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    valueBytes.copy(part, 4 + nameBytes.length);
    return part;
  });
  const headerBytes = Buffer.concat(headerParts);
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const total = 16 + headerBytes.length + body.length;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  body.copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An answer event (`:message-type` event) with a JSON payload. */
export function answerEvent(eventType: string, payload: unknown): Buffer {
  return encodeEventMessage({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }, JSON.stringify(payload));
}

/** An exception in the middle of an answer, as the service sends a throttle or a validation failure. */
export function exceptionEvent(exceptionType: string, message: string): Buffer {
  return encodeEventMessage({ ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' }, JSON.stringify({ message }));
}

export interface FakeKiroAnswer {
  text?: string;
  reasoning?: string;
  calls?: Array<{ name: string; input: unknown }>;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  /** Leave out the token-count event (the credits event stays), as some answers do. */
  noTokenEvent?: boolean;
}

/** The events of one answer: reasoning, text in pieces, each tool call in input fragments, then usage and credits. */
export function answerEvents(answer: FakeKiroAnswer, toolIds: () => string): Buffer[] {
  const events: Buffer[] = [];
  if (answer.reasoning) events.push(answerEvent('reasoningContentEvent', { text: answer.reasoning }), answerEvent('reasoningContentEvent', { signature: 'fake-signature-not-real' }));
  const text = answer.text ?? '';
  const pieces = text.match(/.{1,8}/gs) ?? [];
  for (const piece of pieces) events.push(answerEvent('assistantResponseEvent', { content: piece }));
  for (const call of answer.calls ?? []) {
    const toolUseId = toolIds();
    const input = JSON.stringify(call.input);
    const cut = Math.floor(input.length / 2);
    events.push(
      answerEvent('toolUseEvent', { toolUseId, name: call.name, input: input.slice(0, cut) }),
      answerEvent('toolUseEvent', { toolUseId, name: call.name, input: input.slice(cut) }),
      answerEvent('toolUseEvent', { toolUseId, name: call.name, stop: true }),
    );
  }
  events.push(
    answerEvent('meteringEvent', { unit: 'credit', unitPlural: 'credits', usage: 0.25 }),
    ...(answer.noTokenEvent
      ? []
      : [
          answerEvent('messageMetadataEvent', {
            tokenUsage: { uncachedInputTokens: answer.inputTokens ?? 12, cacheReadInputTokens: answer.cacheReadTokens ?? 0, cacheWriteInputTokens: 0, outputTokens: answer.outputTokens ?? 7, totalTokens: (answer.inputTokens ?? 12) + (answer.cacheReadTokens ?? 0) + (answer.outputTokens ?? 7) },
          }),
        ]),
    answerEvent('contextUsageEvent', { contextUsagePercentage: 0.5 }),
  );
  return events;
}
