// The side-request recogniser must never swallow an ordinary request: every real Claude Code fixture we hold and
// generated near-misses of the two side requests (each breaking one condition of the shape) go to the provider.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTitle, recogniseSideRequest, sideRequestAnswer, titleSystemOpening } from './claude-code-side-requests.ts';

type Body = Record<string, unknown>;
const root = new URL('../../../test/fixtures/real-client-requests/', import.meta.url);
const claudeFixtures = readdirSync(root)
  .filter((folder) => folder.startsWith('claude'))
  .flatMap((folder) => readdirSync(new URL(`${folder}/`, root)).map((file) => ({ name: `${folder}/${file}`, body: (JSON.parse(readFileSync(new URL(`${folder}/${file}`, root), 'utf8')) as { body: Body }).body })));
const titleFixture = claudeFixtures.find((fixture) => fixture.name === 'claude-title/001-POST-v1_messages.json')!;
const ordinary = claudeFixtures.filter((fixture) => fixture !== titleFixture);
const both = ['title', 'warmup'] as const;
const warmup: Body = { model: 'claude-haiku-4-5', max_tokens: 1024, system: 'You are a sub-agent.', messages: [{ role: 'user', content: 'Warmup' }], tools: [{ name: 'Read', input_schema: { type: 'object' } }], stream: true };

const edit = (body: Body, change: (copy: Body & { messages: Array<{ role: string; content: unknown }>; output_config: { format: { schema: { properties: Body; required: string[] } } }; system: Array<{ text: string }> }) => void): Body => {
  const copy = structuredClone(body) as never;
  change(copy);
  return copy;
};
const sessionText = (body: Body) => ((body.messages as Array<{ content: Array<{ text: string }> }>)[0]!.content[0]!.text);

/** Each breaks exactly one condition of the title shape. */
const titleNearMisses: Record<string, (body: Body) => Body> = {
  'a second message': (body) => edit(body, (copy) => copy.messages.push({ role: 'assistant', content: 'ok' })),
  'an assistant turn instead of the user': (body) => edit(body, (copy) => (copy.messages[0]!.role = 'assistant')),
  'two content blocks': (body) => edit(body, (copy) => (copy.messages[0]!.content as unknown[]).push({ type: 'text', text: 'more' })),
  'an image block': (body) => edit(body, (copy) => (copy.messages[0]!.content = [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA' } }])),
  'no <session> opening': (body) => edit(body, (copy) => (copy.messages[0]!.content = [{ type: 'text', text: sessionText(body).replace('<session>\n', '') }])),
  'no </session> closing': (body) => edit(body, (copy) => (copy.messages[0]!.content = [{ type: 'text', text: sessionText(body).replace('\n</session>', '') }])),
  'a tool': (body) => edit(body, (copy) => ((copy as Body).tools = [{ name: 'Read', input_schema: { type: 'object' } }])),
  'thinking enabled': (body) => edit(body, (copy) => ((copy as Body).thinking = { type: 'enabled', budget_tokens: 2048 })),
  'another system prompt': (body) => edit(body, (copy) => (copy.system = copy.system.map((block) => ({ ...block, text: block.text.replace(titleSystemOpening, 'You are naming a file.') })))),
  'no system prompt': (body) => edit(body, (copy) => delete (copy as Body).system),
  'no output format': (body) => edit(body, (copy) => delete (copy as Body).output_config),
  'a second schema property': (body) => edit(body, (copy) => (copy.output_config.format.schema.properties.summary = { type: 'string' })),
  'title not required': (body) => edit(body, (copy) => (copy.output_config.format.schema.required = [])),
  'a title that is not a string': (body) => edit(body, (copy) => (copy.output_config.format.schema.properties.title = { type: 'number' })),
};

const warmupNearMisses: Record<string, Body> = {
  'more words': { ...warmup, messages: [{ role: 'user', content: 'Warmup the cache please' }] },
  'a second message': { ...warmup, messages: [{ role: 'user', content: 'Warmup' }, { role: 'assistant', content: 'Ready.' }] },
  'an assistant turn': { ...warmup, messages: [{ role: 'assistant', content: 'Warmup' }] },
  'two blocks': { ...warmup, messages: [{ role: 'user', content: [{ type: 'text', text: 'Warmup' }, { type: 'text', text: 'x' }] }] },
  'a tool result': { ...warmup, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'Warmup' }] }] },
  "Claude Code's quota check": { ...warmup, max_tokens: 1, messages: [{ role: 'user', content: 'quota' }] },
};

describe('what is recognised', () => {
  it('the real title request Claude Code 2.1.332 sent, and a title made from its session text', () => {
    expect(recogniseSideRequest(titleFixture.body, both)).toBe('title');
    expect(recogniseSideRequest(titleFixture.body, ['warmup'])).toBeUndefined();
    expect(JSON.parse(sideRequestAnswer('title', titleFixture.body))).toEqual({ title: 'Fix the flaky retry test' });
  });

  it('the warm-up shape (a lone user "Warmup", as a string or one text block)', () => {
    expect(recogniseSideRequest(warmup, both)).toBe('warmup');
    expect(recogniseSideRequest({ ...warmup, messages: [{ role: 'user', content: [{ type: 'text', text: 'Warmup' }] }] }, both)).toBe('warmup');
    expect(recogniseSideRequest(warmup, ['title'])).toBeUndefined();
  });

  it('titles are short, sentence case, and never empty', () => {
    const body = (text: string) => edit(titleFixture.body, (copy) => (copy.messages[0]!.content = [{ type: 'text', text: `<session>\n${text}\n</session>\n\nWrite the title.` }]));
    expect(localTitle(body('\n\nrefactor the `router` module, please, and add tests for it'))).toBe('Refactor the router module, please');
    expect(localTitle(body('   '))).toBe('New session');
  });
});

describe('nothing ordinary is answered locally', () => {
  it.each(ordinary.map((fixture) => [fixture.name, fixture.body] as const))('real fixture %s goes to the provider', (_name, body) => {
    expect(recogniseSideRequest(body, both)).toBeUndefined();
  });

  it.each(Object.entries(titleNearMisses))('a title look-alike with %s goes to the provider', (_name, mutate) => {
    expect(recogniseSideRequest(mutate(titleFixture.body), both)).toBeUndefined();
  });

  it.each(Object.entries(warmupNearMisses))('a warm-up look-alike with %s goes to the provider', (_name, body) => {
    expect(recogniseSideRequest(body, both)).toBeUndefined();
  });

  it('generated near-misses: any real conversation with the title system prompt or a "Warmup" turn added is still ordinary', () => {
    const conversations = ordinary.map((fixture) => fixture.body).filter((body) => Array.isArray(body.messages) && body.messages.length > 1);
    expect(conversations.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.constantFrom(...conversations), fc.constantFrom('system', 'warmup-last', 'warmup-first'), fc.boolean(), (body, change, dropTools) => {
        const copy = structuredClone(body) as Body & { messages: unknown[] };
        if (change === 'system') copy.system = [...(Array.isArray(copy.system) ? copy.system : []), { type: 'text', text: titleSystemOpening }];
        if (change === 'warmup-last') copy.messages.push({ role: 'user', content: 'Warmup' });
        if (change === 'warmup-first') copy.messages.unshift({ role: 'user', content: 'Warmup' });
        if (dropTools) delete copy.tools;
        return recogniseSideRequest(copy, both) === undefined;
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('generated session texts: a title request loses its shape when any one condition goes, whatever the session says', () => {
    const breakers = Object.values(titleNearMisses);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 0, max: breakers.length - 1 }), (session, which) => {
        const body = edit(titleFixture.body, (copy) => (copy.messages[0]!.content = [{ type: 'text', text: `<session>\n${session}\n</session>\n\nWrite the title.` }]));
        const title = JSON.parse(sideRequestAnswer('title', body)) as { title: string };
        expect(title.title.length).toBeGreaterThan(0);
        expect(title.title.length).toBeLessThanOrEqual(60);
        return recogniseSideRequest(body, both) === 'title' && recogniseSideRequest(breakers[which]!(body), both) === undefined;
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('off by default: nothing is recognised when no kind is enabled', () => {
    expect(recogniseSideRequest(titleFixture.body, [])).toBeUndefined();
    expect(recogniseSideRequest(warmup, [])).toBeUndefined();
  });
});
