// The fast usage readers against the full codecs, on every recorded upstream answer and stream
// (test/fixtures/recorded-upstream): the bytes-first reader must report exactly what a complete decode of the same
// answer says, however the upstream bytes are chunked and with CRLF line ends too.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wireFormats } from '../../../../shared/wire-format.ts';
import { chunkings, withCrlf } from '../../../../test/integration/translation/support/client-stream.ts';
import type { CanonicalUsage } from '../canonical/canonical-response.ts';
import { mergeUsage } from '../canonical/canonical-response.ts';
import { Warnings } from '../canonical/warnings.ts';
import { codecFor } from '../codecs.ts';
import { SseParser } from '../sse/sse-parser.ts';

const fixtures = new URL('../../../../test/fixtures/recorded-upstream/', import.meta.url);

/** Usage as the full stream decoder sees it: every usage-bearing canonical event, merged in order. */
function decodedStreamUsage(format: (typeof wireFormats)[number], text: string): CanonicalUsage | undefined {
  const decoder = codecFor(format).createStreamDecoder(new Warnings());
  const parser = new SseParser();
  const events = [...parser.push(Buffer.from(text)), ...parser.end()].flatMap((event) => decoder.event(event));
  let usage: CanonicalUsage | undefined;
  for (const event of [...events, ...decoder.end()]) {
    if ((event.type === 'usage' || event.type === 'message_start' || event.type === 'message_stop') && event.usage) usage = mergeUsage(usage ?? {}, event.usage);
  }
  return usage;
}

describe('usage readers on recorded upstream answers', () => {
  for (const format of wireFormats) {
    const files = readdirSync(new URL(`${format}/`, fixtures));
    for (const file of files) {
      const text = readFileSync(new URL(`${format}/${file}`, fixtures), 'utf8');
      if (file.endsWith('.json')) {
        it(`${format} ${file}: the reader agrees with decodeResponse`, () => {
          const body: unknown = JSON.parse(text);
          const decoded = codecFor(format).decodeResponse(body, new Warnings()).usage;
          expect(codecFor(format).usage.fromBody(body)).toEqual(decoded);
          expect(Object.keys(decoded).length).toBeGreaterThan(0);
        });
      } else {
        it(`${format} ${file}: the stream reader agrees with the stream decoder at every chunking`, () => {
          const expected = decodedStreamUsage(format, text);
          // Complete recordings report usage (a recording cut short or failed may not): the comparison is not empty.
          if (!/^(early-eof|error-mid-stream)/.test(file)) expect(expected).toBeDefined();
          for (const variant of [text, withCrlf(text)]) {
            for (const [name, chunks] of Object.entries(chunkings(Buffer.from(variant)))) {
              const reader = codecFor(format).usage.createStreamReader();
              for (const chunk of chunks) reader.push(Buffer.from(chunk));
              expect(reader.usage(), `${name}${variant === text ? '' : ', CRLF'}`).toEqual(expected);
            }
          }
        });
      }
    }
  }
});
