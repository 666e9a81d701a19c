// Characters of generated text in an upstream answer (content, reasoning, tool-call arguments), for the ledger's
// output estimate when the upstream reported no output tokens (docs/usage.md, "Estimates"). Nothing here runs while
// an answer is relayed: the request path keeps the bytes and this decodes them once, afterwards, only for a request
// whose usage lacks its output, with the format's own decoders (the same ones translation uses; no second parser).
import type { WireFormat } from '../../../../shared/wire-format.ts';
import type { CanonicalOutputPart } from '../canonical/canonical-response.ts';
import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import { Warnings } from '../canonical/warnings.ts';
import type { Codec } from '../codec.ts';
import { codecFor } from '../codecs.ts';
import { SseParser } from '../sse/sse-parser.ts';
import { StreamSequencer } from '../stream/stream-sequencer.ts';

export interface StreamOutput {
  /** Characters of text, reasoning and tool arguments the stream carried (what its client was sent). */
  characters: number;
  /**
   * The stream reported an output count after its opening event (Anthropic: in `message_delta`, not only the
   * placeholder of `message_start`), so a usage reader's figure is the upstream's own and needs no estimate.
   */
  closingOutputReported: boolean;
}

/** Counts the output of one upstream's answers, whole or streamed. Throws on bytes the decoders cannot take. */
export interface OutputCounter {
  /** A whole answer body, as the upstream sent it. */
  body(body: Buffer): number;
  /** A streamed answer, in the chunks it arrived in (or a prefix of them). */
  stream(chunks: readonly Buffer[]): StreamOutput;
}

export function partCharacters(part: CanonicalOutputPart): number {
  switch (part.type) {
    case 'text':
      return part.text.length;
    case 'tool_call':
      return part.arguments.length;
    case 'reasoning':
      return (part.text ?? '').length + (part.summary ?? []).reduce((sum, line) => sum + line.length, 0);
  }
}

function eventCharacters(event: CanonicalStreamEvent): number {
  switch (event.type) {
    case 'text_delta':
    case 'reasoning_delta':
      return event.text.length;
    case 'tool_arguments_delta':
      return event.json.length;
    default:
      return 0;
  }
}

function createCounter(codec: Codec): OutputCounter {
  return {
    body(body) {
      const response = codec.decodeResponse(JSON.parse(body.toString('utf8')), new Warnings());
      let characters = 0;
      for (const part of response.content) characters += partCharacters(part);
      return characters;
    },
    stream(chunks) {
      // As the stream translator reads an upstream (translator.ts), so the count is of the deltas a client is sent:
      // the sequencer drops deltas of blocks never opened and anything after the terminal event.
      const parser = new SseParser();
      const decoder = codec.createStreamDecoder(new Warnings());
      const sequencer = new StreamSequencer();
      const result: StreamOutput = { characters: 0, closingOutputReported: false };
      const take = (decoded: CanonicalStreamEvent[]) => {
        for (const event of decoded) {
          if ((event.type === 'usage' || event.type === 'message_stop') && event.usage?.outputTokens !== undefined) result.closingOutputReported = true;
          for (const sequenced of sequencer.accept(event)) result.characters += eventCharacters(sequenced);
        }
      };
      for (const chunk of chunks) for (const event of parser.push(chunk)) take(decoder.event(event));
      for (const event of parser.end()) take(decoder.event(event));
      take(decoder.end());
      return result;
    },
  };
}

const counters = new Map<WireFormat, OutputCounter>();

/** The counter of upstream answers in `format` (one per format, made on first use). */
export function outputCounterFor(format: WireFormat): OutputCounter {
  let counter = counters.get(format);
  if (!counter) {
    counter = createCounter(codecFor(format));
    counters.set(format, counter);
  }
  return counter;
}
