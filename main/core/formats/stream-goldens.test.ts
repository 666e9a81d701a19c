// The bytes a client receives from a stream must not change when the stream path is made faster (issue 18, point
// 6). test/fixtures/stream-goldens/ holds what the translators produced for every recorded upstream stream (and a few
// generated ones with awkward text) into every other client format, written by this file before the performance
// work started; every translation here must still produce exactly those bytes, whatever the chunking of the upstream
// bytes (seeded random split points, one byte at a time). Passthrough must hand back the upstream's bytes unchanged.
// Regenerate (only when a change of output is intended, and say why in the commit):
//   SWITCHYARD_WRITE_STREAM_GOLDENS=1 node_modules/.bin/vitest run --config test/vitest.config.ts main/core/formats/stream-goldens.test.ts
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { wireFormats, type WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import { passthroughTransform } from '../pipeline/passthrough-transform.ts';
import { createStreamTranslator, type TranslationContext } from './translator.ts';
import type * as toolNaming from './canonical/tool-naming.ts';
import { generatedStreams } from '../../../test/fixtures/stream-goldens/generated-streams.ts';

type ToolNamingModule = typeof toolNaming;

// Ids and timestamps are fresh per stream in production; here they count from a fixed start so bytes can be compared.
const deterministic = vi.hoisted(() => ({ counter: 0 }));
vi.mock('./canonical/ids.ts', () => ({
  newId: (prefix: string) => `${prefix}golden${(deterministic.counter += 1).toString(16).padStart(18, '0')}`,
  nowSeconds: () => 1_700_000_000,
}));
vi.mock('./canonical/tool-naming.ts', async (importOriginal) => ({
  ...(await importOriginal<ToolNamingModule>()),
  synthesizeToolCallId: () => `sy-gemini-golden${(deterministic.counter += 1).toString(16).padStart(8, '0')}`,
}));
beforeEach(() => {
  deterministic.counter = 0;
});

const recorded = new URL('../../../test/fixtures/recorded-upstream/', import.meta.url);
const goldenFile = new URL('../../../test/fixtures/stream-goldens/translated.json', import.meta.url);
const writing = process.env.SWITCHYARD_WRITE_STREAM_GOLDENS === '1';

/** Every upstream stream the goldens cover: name -> upstream format and bytes. */
function upstreamStreams(): { name: string; upstream: WireFormat; bytes: Buffer }[] {
  const streams: { name: string; upstream: WireFormat; bytes: Buffer }[] = [];
  for (const upstream of wireFormats) {
    for (const file of readdirSync(new URL(`${upstream}/`, recorded)).filter((name) => name.endsWith('.sse')).sort()) {
      streams.push({ name: `${upstream}/${file}`, upstream, bytes: readFileSync(new URL(`${upstream}/${file}`, recorded)) });
    }
  }
  for (const stream of generatedStreams()) streams.push({ name: `${stream.upstream}/${stream.name}`, upstream: stream.upstream, bytes: Buffer.from(stream.text) });
  return streams;
}

function context(client: WireFormat, upstream: WireFormat): TranslationContext {
  return { client, upstream, clientModel: 'client-model', upstreamModel: 'upstream-model', stream: true, includeUsage: true, renamedTools: { upstream_tool: 'client_tool' }, customTools: [] };
}

/** The client's bytes for one chunking; `failAt` ends the stream with an upstream failure after that many chunks. */
function translate(upstream: WireFormat, client: WireFormat, chunks: Uint8Array[], failAt?: number): string {
  deterministic.counter = 0;
  const translator = createStreamTranslator({ from: upstream, to: client, context: context(client, upstream) });
  let out = '';
  for (const [index, chunk] of chunks.entries()) {
    if (index === failAt) return out + translator.fail(new ProxyError({ code: 'upstream_error', status: 502, message: 'golden: the upstream connection broke', scope: 'provider' }));
    out += translator.push(chunk);
  }
  return out + translator.end();
}

/** A small seeded generator (mulberry32): the same split points on every run, different ones per stream. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts bytes at random places (also inside UTF-8 characters and CRLF pairs): `count` chunkings, plus one byte at a time. */
function splits(bytes: Buffer, seed: number, count: number): Uint8Array[][] {
  const next = random(seed);
  const result: Uint8Array[][] = [Array.from(bytes, (byte) => Uint8Array.of(byte))];
  for (let round = 0; round < count; round += 1) {
    const pieces = 1 + Math.floor(next() * Math.min(40, bytes.length));
    const cuts = [...new Set(Array.from({ length: pieces }, () => Math.floor(next() * bytes.length)))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let start = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (cut > start) chunks.push(bytes.subarray(start, cut));
      start = cut;
    }
    result.push(chunks);
  }
  return result;
}

const seedOf = (text: string) => [...text].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619), 2166136261);

const cases = upstreamStreams().flatMap((stream) => wireFormats.filter((client) => client !== stream.upstream).map((client) => ({ ...stream, client, key: `${stream.name} -> ${client}` })));
const goldens: Record<string, string> = writing ? {} : (JSON.parse(readFileSync(goldenFile, 'utf8')) as Record<string, string>);

describe('translated streams are byte-identical to the goldens', () => {
  it.runIf(writing)('writes the goldens', () => {
    for (const item of cases) {
      goldens[item.key] = translate(item.upstream, item.client, [item.bytes]);
      goldens[`${item.key} (failed after the first chunk)`] = translate(item.upstream, item.client, [item.bytes.subarray(0, 40), item.bytes.subarray(40)], 1);
    }
    writeFileSync(goldenFile, `${JSON.stringify(goldens, null, 1)}\n`);
  });

  it.skipIf(writing)('covers every upstream stream into every other client format', () => {
    expect(Object.keys(goldens).sort()).toEqual(cases.flatMap((item) => [item.key, `${item.key} (failed after the first chunk)`]).sort());
  });

  it.skipIf(writing).each(cases)('$key, in any chunking', (item) => {
    const expected = goldens[item.key];
    for (const chunks of splits(item.bytes, seedOf(item.key), 12)) expect(translate(item.upstream, item.client, chunks)).toBe(expected);
    expect(translate(item.upstream, item.client, [item.bytes.subarray(0, 40), item.bytes.subarray(40)], 1)).toBe(goldens[`${item.key} (failed after the first chunk)`]);
  });
});

describe('passthrough streams are the upstream bytes', () => {
  it.each(upstreamStreams())('$name, in any chunking', (stream) => {
    for (const chunks of splits(stream.bytes, seedOf(stream.name), 12)) {
      const transform = passthroughTransform(stream.upstream, 'golden');
      const out = Buffer.concat([...chunks.map((chunk) => Buffer.from(transform.push(Buffer.from(chunk)))), Buffer.from(transform.end())]);
      expect(out.equals(stream.bytes)).toBe(true);
    }
  });
});
