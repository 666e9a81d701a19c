import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The generator of the fuzz suite: seeded (a failure names its seed and case number, and the same seed gives the same
// requests), bounded, and built from the real client requests in test/fixtures plus hand-written bad bodies.

export type Caller = 'anthropic' | 'openai' | 'gemini' | 'management' | 'other';

export interface FuzzCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Whose error shape an error answer must have. */
  caller: Caller;
  what: string;
}

/** mulberry32: small, fast, and good enough to spread cases; seeded so every run is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Seed {
  route: string;
  caller: Caller;
  body: Record<string, unknown>;
}

const fixtureRoot = join(import.meta.dirname, '..', 'fixtures', 'real-client-requests');

/** The real request bodies Claude Code, Codex and Gemini CLI sent, with the route each went to. */
export function realSeeds(): Seed[] {
  const seeds: Seed[] = [];
  for (const folder of readdirSync(fixtureRoot)) {
    for (const file of readdirSync(join(fixtureRoot, folder))) {
      const recorded = JSON.parse(readFileSync(join(fixtureRoot, folder, file), 'utf8')) as { path: string; body: Record<string, unknown> };
      const caller: Caller = recorded.path.startsWith('/v1beta') ? 'gemini' : recorded.path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
      seeds.push({ route: recorded.path, caller, body: recorded.body });
    }
  }
  return seeds;
}

const small: Seed[] = [
  { route: '/v1/messages', caller: 'anthropic', body: { model: 'MODEL', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] } },
  { route: '/v1/messages', caller: 'anthropic', body: { model: 'MODEL', max_tokens: 64, stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [{ name: 't', input_schema: { type: 'object' } }] } },
  { route: '/v1/messages/count_tokens', caller: 'anthropic', body: { model: 'MODEL', messages: [{ role: 'user', content: 'count me' }] } },
  { route: '/v1/chat/completions', caller: 'openai', body: { model: 'MODEL', messages: [{ role: 'user', content: 'hi' }] } },
  { route: '/v1/chat/completions', caller: 'openai', body: { model: 'MODEL', stream: true, messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] } },
  { route: '/v1/responses', caller: 'openai', body: { model: 'MODEL', input: 'hi' } },
  { route: '/v1/responses', caller: 'openai', body: { model: 'MODEL', stream: true, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] } },
  { route: '/v1beta/models/MODEL:generateContent', caller: 'gemini', body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } },
  { route: '/v1beta/models/MODEL:streamGenerateContent?alt=sse', caller: 'gemini', body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } },
  { route: '/v1beta/models/MODEL:countTokens', caller: 'gemini', body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } },
];

const oddStrings = ['', ' ', 'x'.repeat(5_000), '€uro', '模型', 'line\nbreak', 'nul\u0000byte', '../../etc/passwd', '%E0%A4%A', '\ud800', '{"a":1}', 'null'];
const oddValues: unknown[] = [null, true, false, 0, -1, 1e308, 3.5, 'text', [], {}, [null], { type: 'nope' }, ...oddStrings];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * JSON text nested `depth` levels deep: {"type":"object","properties":{"p":{…}}}, the shape that overflowed a stack.
 * Built as text: JSON.stringify itself would overflow on such a value.
 */
export function deepSchemaJson(depth: number): string {
  return `${'{"type":"object","properties":{"p":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}`;
}

function deepArrayJson(depth: number): string {
  return `${'['.repeat(depth)}"leaf"${']'.repeat(depth)}`;
}

const deepMarker = '"__switchyard_fuzz_deep__"';

/** Every path to a value inside a JSON value, as key lists (bounded: the first 400 found). */
function paths(value: unknown, prefix: Array<string | number> = [], found: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (found.length >= 400) return found;
  if (Array.isArray(value)) value.forEach((item, index) => { found.push([...prefix, index]); paths(item, [...prefix, index], found); });
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) { found.push([...prefix, key]); paths(item, [...prefix, key], found); }
  return found;
}

function setAt(root: unknown, path: Array<string | number>, value: unknown, remove: boolean): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (remove) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
}

function mutateBody(random: () => number, body: Record<string, unknown>, caller: Caller): { body: Buffer | string; what: string } {
  const copy = structuredClone(body);
  const roll = random();
  if (roll < 0.08) {
    const text = JSON.stringify(copy);
    return { body: text.slice(0, Math.floor(random() * text.length)), what: 'truncated JSON' };
  }
  if (roll < 0.12) return { body: Buffer.concat([Buffer.from('{"model":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]), what: 'invalid UTF-8' };
  if (roll < 0.16) return { body: JSON.stringify(pick(random, oddValues)), what: 'not an object' };
  if (roll < 0.2) {
    const depth = 1_000 + Math.floor(random() * 4_000);
    const marker = JSON.parse(deepMarker) as string;
    if (caller === 'anthropic') copy.tools = [{ name: 'deep', input_schema: marker }];
    else if (caller === 'gemini') copy.tools = [{ functionDeclarations: [{ name: 'deep', parameters: marker }] }];
    else copy.tools = [{ type: 'function', function: { name: 'deep', parameters: marker }, name: 'deep', parameters: marker }];
    return { body: JSON.stringify(copy).replaceAll(deepMarker, deepSchemaJson(depth)), what: `tool schema ${depth} levels deep` };
  }
  if (roll < 0.23) {
    const depth = 2_000 + Math.floor(random() * 3_000);
    copy[caller === 'gemini' ? 'contents' : caller === 'anthropic' ? 'messages' : 'input'] = JSON.parse(deepMarker) as string;
    return { body: JSON.stringify(copy).replace(deepMarker, deepArrayJson(depth)), what: `messages nested ${depth} levels deep` };
  }
  if (roll < 0.3) {
    // Half the time a real target with odd characters after it, which routes (the provider takes any model name).
    copy.model = random() < 0.5 ? pick(random, oddStrings) : `${String(copy.model)}${pick(random, ['€', '模型', '\n', '\u0000', '\r\nx-evil: 1', ' ', '%'])}`;
    return { body: JSON.stringify(copy), what: `model ${JSON.stringify(copy.model).slice(0, 40)}` };
  }
  const all = paths(copy);
  const steps: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let step = 0; step < count && all.length > 0; step++) {
    const path = pick(random, all);
    const remove = random() < 0.35;
    try {
      setAt(copy, path, pick(random, oddValues), remove);
      steps.push(`${remove ? 'removed' : 'replaced'} ${path.join('.')}`);
    } catch {
      // The path went away with an earlier step of this case.
    }
  }
  return { body: JSON.stringify(copy), what: steps.join(', ') || 'unchanged' };
}

const managementPaths = ['/api/status', '/api/guard/snapshot', '/api/routing/resolve', '/api/models/list', '/api/providers/list', '/api/%E0%A4%A', '/api/%', '/api/providers/%zz', '/api/combos/activate', '/api/settings/get', '/api/nope', '/api/events?x=%'];

/** `count` cases, mixing real-fixture mutations, small-body mutations, bad routes and the management API. */
export function* fuzzCases(seed: number, count: number, models: readonly string[], keys: { client: string; management: string }): Generator<FuzzCase> {
  const random = seededRandom(seed);
  const seeds = [...realSeeds(), ...small];
  for (let index = 0; index < count; index++) {
    const roll = random();
    if (roll < 0.1) {
      const path = pick(random, managementPaths);
      const method = pick(random, ['GET', 'POST', 'PUT', 'DELETE']);
      const withToken = random() < 0.7;
      yield {
        method,
        path,
        headers: { 'content-type': pick(random, ['application/json', 'text/plain']), ...(withToken ? { authorization: `Bearer ${keys.management}` } : {}) },
        body: method === 'GET' ? undefined : pick(random, ['{', '{"name":1}', '[]', 'null', JSON.stringify({ id: '€' }), '']),
        caller: 'management',
        what: `${method} ${path}${withToken ? '' : ' without token'}`,
      };
      continue;
    }
    if (roll < 0.14) {
      const path = pick(random, ['/v2/unknown', '/v1/messages/%', '/v1beta/models/%zz:generateContent', '/v1beta/models/:generateContent', '/v1/chat/completions/extra', '//v1/messages']);
      const method = pick(random, ['GET', 'POST', 'PATCH']);
      yield { method, path, headers: { 'x-api-key': keys.client, 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}', caller: 'other', what: `${method} odd route ${path}` };
      continue;
    }
    const base = pick(random, seeds);
    const caller = base.caller as 'anthropic' | 'openai' | 'gemini';
    const model = pick(random, models);
    const route = base.route.replace(/models\/[^:]+:/u, `models/${encodeURIComponent(model)}:`).replace('MODEL', encodeURIComponent(model));
    const body = { ...base.body, model };
    const auth: Record<string, string> = caller === 'gemini' ? { 'x-goog-api-key': keys.client } : caller === 'anthropic' ? { 'x-api-key': keys.client, 'anthropic-version': '2023-06-01' } : { authorization: `Bearer ${keys.client}` };
    const unauthenticated = random() < 0.04;
    const mutated = random() < 0.85 ? mutateBody(random, body, caller) : { body: JSON.stringify(body), what: 'unchanged' };
    yield {
      method: 'POST',
      path: route,
      headers: { 'content-type': 'application/json', ...(unauthenticated ? {} : auth) },
      body: mutated.body,
      caller,
      what: `${route.slice(0, 60)}: ${mutated.what}${unauthenticated ? ' without key' : ''}`,
    };
  }
}
