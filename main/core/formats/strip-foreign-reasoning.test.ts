import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from './canonical/reasoning-envelope.ts';
import { stripForeignReasoning } from './strip-foreign-reasoning.ts';

const foreign = encodeEnvelope({ reasoning: [{ origin: 'gemini', text: 'thought elsewhere', signature: 'c2ln' }] });

describe('stripForeignReasoning', () => {
  it('drops Anthropic thinking blocks that carry another family\'s reasoning, keeps real ones', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'from gemini', signature: foreign },
            { type: 'thinking', thinking: 'real', signature: 'EqQBCkYIBxgCKkB...' },
            { type: 'text', text: 'answer' },
          ],
        },
      ],
    };
    const { body: cleaned, removed } = stripForeignReasoning('anthropic', body);
    expect(removed).toBe(1);
    expect((cleaned.messages as Array<{ content: unknown }>)[1]!.content).toEqual([
      { type: 'thinking', thinking: 'real', signature: 'EqQBCkYIBxgCKkB...' },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('drops Responses reasoning items with an envelope in encrypted_content', () => {
    const { body, removed } = stripForeignReasoning('openai-responses', {
      input: [{ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: foreign }, { type: 'message', role: 'user', content: 'next' }],
    });
    expect(removed).toBe(1);
    expect(body.input).toEqual([{ type: 'message', role: 'user', content: 'next' }]);
  });

  it('replaces an envelope on a Gemini function call by the documented placeholder and drops foreign thought parts', () => {
    const { body, removed } = stripForeignReasoning('gemini', {
      contents: [
        {
          role: 'model',
          parts: [
            { text: 'thinking', thought: true, thoughtSignature: foreign },
            { functionCall: { name: 'f', args: {} }, thoughtSignature: foreign },
            { text: 'done', thoughtSignature: foreign },
          ],
        },
      ],
    });
    expect(removed).toBe(3);
    expect((body.contents as Array<{ parts: unknown }>)[0]!.parts).toEqual([
      { functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' },
      { text: 'done' },
    ]);
  });

  it('leaves a body without envelopes equal', () => {
    const body = { messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 'abc' }] }] };
    expect(stripForeignReasoning('anthropic', body)).toEqual({ body, removed: 0 });
  });
});
