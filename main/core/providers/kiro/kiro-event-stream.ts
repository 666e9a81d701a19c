import { namedSseEvent } from '../../formats/sse/sse-writer.ts';
import type { AnthropicEvent, KiroFailure } from './kiro-answer.ts';
import { KiroAnswerAssembler } from './kiro-answer.ts';
import { EventStreamError, FrameReader } from './event-stream-frames.ts';

// The whole path from CodeWhisperer's bytes to Anthropic events: frames (both CRCs checked), then the assembler.
// The stream decoder and the whole-answer collector share it, so streamed and whole answers cannot disagree.

export interface KiroEventDecoder {
  push(chunk: Buffer): AnthropicEvent[];
  end(): AnthropicEvent[];
  failure(): KiroFailure | undefined;
}

export function createKiroEventDecoder(model: string): KiroEventDecoder {
  const frames = new FrameReader();
  const answer = new KiroAnswerAssembler(model);
  const damaged = (error: unknown): AnthropicEvent[] =>
    answer.fail({ status: 502, message: `kiro: the answer could not be read: ${error instanceof EventStreamError ? error.message : String(error)}` });
  return {
    push(chunk) {
      if (answer.ended) return [];
      try {
        return frames.push(chunk).flatMap((frame) => answer.frame(frame));
      } catch (error) {
        return damaged(error);
      }
    },
    end() {
      if (answer.ended) return [];
      if (frames.pendingBytes > 0) return answer.fail({ status: 502, message: `kiro: the answer ended in the middle of an event (${frames.pendingBytes} bytes of it arrived)` });
      return answer.finish();
    },
    failure: () => answer.failure,
  };
}

/** Upstream bytes -> Anthropic SSE text, chunk by chunk (the WireCodec's stream decoder). */
export function createKiroSseDecoder(model: string): { push(chunk: Buffer): string; end(): string } {
  const decoder = createKiroEventDecoder(model);
  const serialise = (events: AnthropicEvent[]) => events.map((event) => namedSseEvent(event.type, event)).join('');
  return { push: (chunk) => serialise(decoder.push(chunk)), end: () => serialise(decoder.end()) };
}

type Block = Record<string, unknown> & { type: string };

/** A whole event-stream answer -> one Anthropic message, or the failure it ended with. */
export function collectKiroAnswer(body: Buffer, model: string): { message: Record<string, unknown> } | { failure: KiroFailure } {
  const decoder = createKiroEventDecoder(model);
  const events = [...decoder.push(body), ...decoder.end()];
  const failure = decoder.failure();
  if (failure) return { failure };
  let message: Record<string, unknown> = {};
  const content: Block[] = [];
  const partialJson = new Map<number, string>();
  for (const event of events) {
    if (event.type === 'message_start') message = { ...(event.message as object) };
    else if (event.type === 'content_block_start') content[event.index as number] = { ...(event.content_block as Block) };
    else if (event.type === 'content_block_delta') {
      const block = content[event.index as number]!;
      const delta = event.delta as Record<string, string>;
      if (delta.type === 'text_delta') block.text = `${block.text as string}${delta.text}`;
      else if (delta.type === 'thinking_delta') block.thinking = `${block.thinking as string}${delta.thinking}`;
      else if (delta.type === 'signature_delta') block.signature = delta.signature;
      else if (delta.type === 'input_json_delta') partialJson.set(event.index as number, `${partialJson.get(event.index as number) ?? ''}${delta.partial_json}`);
    } else if (event.type === 'message_delta') {
      Object.assign(message, event.delta as object, { usage: event.usage });
    }
  }
  for (const [index, json] of partialJson) {
    try {
      content[index]!.input = JSON.parse(json);
    } catch {
      return { failure: { status: 502, message: `kiro: the model sent tool input that is not JSON for ${String(content[index]!.name)}` } };
    }
  }
  return { message: { ...message, content } };
}
