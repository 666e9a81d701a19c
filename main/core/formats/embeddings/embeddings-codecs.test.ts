import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../errors/proxy-error.ts';
import { estimateEmbeddingTokens } from '../estimate-tokens.ts';
import { vectorFromBase64, vectorToBase64 } from './float-vector-base64.ts';
import { decodeGeminiEmbeddingRequest, decodeGeminiEmbeddings, encodeGeminiEmbeddingRequest, encodeGeminiEmbeddings } from './gemini-embeddings.ts';
import { decodeOpenaiEmbeddingRequest, decodeOpenaiEmbeddings, encodeOpenaiEmbeddings } from './openai-embeddings.ts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as ProxyError;
  }
  throw new Error('expected a refusal');
};

describe('OpenAI embeddings requests', () => {
  it('reads every input shape the API documents', () => {
    expect(decodeOpenaiEmbeddingRequest({ input: 'one' }).inputs).toEqual([{ kind: 'text', text: 'one' }]);
    expect(decodeOpenaiEmbeddingRequest({ input: ['a', 'b'] }).inputs).toEqual([{ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' }]);
    expect(decodeOpenaiEmbeddingRequest({ input: [1, 2] }).inputs).toEqual([{ kind: 'tokens', tokens: [1, 2] }]);
    expect(decodeOpenaiEmbeddingRequest({ input: [[1], [2, 3]] }).inputs).toEqual([{ kind: 'tokens', tokens: [1] }, { kind: 'tokens', tokens: [2, 3] }]);
    expect(decodeOpenaiEmbeddingRequest({ input: 'x', dimensions: 256, encoding_format: 'base64', user: 'u' })).toMatchObject({ dimensions: 256, encoding: 'base64', user: 'u' });
  });

  it('refuses what the API refuses, as 400 request errors that name the field', () => {
    for (const body of [{}, { input: '' }, { input: [] }, { input: [''] }, { input: [1.5] }, { input: [{}] }, { input: 'x', dimensions: 0 }, { input: 'x', encoding_format: 'int8' }, { input: Array.from({ length: 2049 }, () => 'x') }]) {
      const error = refusal(() => decodeOpenaiEmbeddingRequest(body));
      expect(error).toBeInstanceOf(ProxyError);
      expect(error).toMatchObject({ status: 400, scope: 'request' });
      expect(error.message).toMatch(/"(input|input\[0\]|dimensions|encoding_format)"/);
    }
  });

  it('reads answers in index order, numbers or base64, and encodes base64 the SDKs decode', () => {
    const vector = [0.5, -0.25, 1];
    const answer = { data: [{ index: 1, embedding: vectorToBase64(vector) }, { index: 0, embedding: [1, 2] }], usage: { prompt_tokens: 7 } };
    expect(decodeOpenaiEmbeddings(answer)).toEqual({ vectors: [[1, 2], vector], inputTokens: 7 });
    expect(vectorFromBase64(vectorToBase64(vector))).toEqual(vector);
    const encoded = encodeOpenaiEmbeddings({ vectors: [vector] }, { inputs: [{ kind: 'text', text: 'x' }], encoding: 'base64' }, 'm', 3);
    expect(encoded).toEqual({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: vectorToBase64(vector) }], model: 'm', usage: { prompt_tokens: 3, total_tokens: 3 } });
    expect(decodeOpenaiEmbeddings({ data: [{ embedding: {} }] })).toBeUndefined();
  });
});

describe('Gemini embeddings', () => {
  it('reads embedContent and batchEmbedContents with task type, title and outputDimensionality', () => {
    expect(decodeGeminiEmbeddingRequest({ content: { parts: [{ text: 'a' }, { text: 'b' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 8 }, true)).toEqual({
      inputs: [{ kind: 'text', text: 'a\nb', taskType: 'RETRIEVAL_QUERY' }],
      encoding: 'float',
      single: true,
      dimensions: 8,
    });
    const batch = decodeGeminiEmbeddingRequest({ requests: [{ content: { parts: [{ text: 'x' }] }, title: 'T', taskType: 'RETRIEVAL_DOCUMENT' }, { content: { parts: [{ text: 'y' }] } }] }, false);
    expect(batch.inputs).toEqual([{ kind: 'text', text: 'x', title: 'T', taskType: 'RETRIEVAL_DOCUMENT' }, { kind: 'text', text: 'y' }]);
    expect(encodeGeminiEmbeddingRequest(batch, 'gemini-embedding-001')).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'x' }] }, taskType: 'RETRIEVAL_DOCUMENT', title: 'T' },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'y' }] } },
      ],
    });
  });

  it('refuses non-text parts, empty batches and mixed dimensions', () => {
    expect(refusal(() => decodeGeminiEmbeddingRequest({ content: { parts: [{ inlineData: {} }] } }, true)).message).toMatch(/text only/);
    expect(refusal(() => decodeGeminiEmbeddingRequest({ requests: [] }, false)).message).toMatch(/"requests"/);
    const mixed = { requests: [{ content: { parts: [{ text: 'a' }] }, outputDimensionality: 3 }, { content: { parts: [{ text: 'b' }] } }] };
    expect(refusal(() => decodeGeminiEmbeddingRequest(mixed, false)).message).toMatch(/same "outputDimensionality"/);
  });

  it('token ids cannot go to Gemini: the target refuses, so a combo may move on', () => {
    const error = refusal(() => encodeGeminiEmbeddingRequest({ inputs: [{ kind: 'tokens', tokens: [1] }], encoding: 'float' }, 'm'));
    expect(error).toMatchObject({ status: 400, scope: 'target' });
  });

  it('answers single and batch shapes', () => {
    expect(decodeGeminiEmbeddings({ embeddings: [{ values: [1] }, { values: [2] }] })).toEqual({ vectors: [[1], [2]] });
    expect(decodeGeminiEmbeddings({ embedding: { values: [3] } })).toEqual({ vectors: [[3]] });
    expect(decodeGeminiEmbeddings({ embeddings: [{}] })).toBeUndefined();
    expect(encodeGeminiEmbeddings({ vectors: [[1]] }, { inputs: [], encoding: 'float', single: true })).toEqual({ embedding: { values: [1] } });
    expect(encodeGeminiEmbeddings({ vectors: [[1], [2]] }, { inputs: [], encoding: 'float' })).toEqual({ embeddings: [{ values: [1] }, { values: [2] }] });
  });
});

it('estimates embedding input with the one estimator: texts at 4 characters a token, token ids as their count', () => {
  expect(estimateEmbeddingTokens({ inputs: [{ kind: 'text', text: 'x'.repeat(10) }, { kind: 'tokens', tokens: [1, 2, 3] }], encoding: 'float' })).toBe(3 + 3);
});
