import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, isEnvelope } from './reasoning-envelope.ts';

describe('reasoning envelopes', () => {
  it('round-trip foreign reasoning and carried signatures as plain base64', () => {
    const envelope = {
      reasoning: [{ origin: 'openai-responses' as const, id: 'rs_1', summary: ['a', 'b'], encryptedContent: 'gAAA==' }],
      geminiSignature: { signature: 'CiQB', attach: 'previous' as const },
    };
    const encoded = encodeEnvelope(envelope);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodeEnvelope(encoded)).toEqual(envelope);
  });

  it('never mistake a provider signature or damaged data for an envelope', () => {
    for (const signature of ['EqQBCkgIARABGAIiQL2', 'gAAAAABoR2', 'CiQBVKhc7', 'skip_thought_signature_validator', '', 42]) {
      expect(isEnvelope(signature)).toBe(false);
      expect(decodeEnvelope(signature)).toBeUndefined();
    }
    expect(decodeEnvelope(encodeEnvelope({ displayOnly: true }).slice(0, 20))).toBeUndefined();
  });
});
