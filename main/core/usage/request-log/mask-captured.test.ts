import { describe, expect, it } from 'vitest';
import { SecretMasker } from '../../logging/secret-masker.ts';
import { BoundedBytes } from './bounded-bytes.ts';
import { maskHeaders, maskLine, maskPart } from './mask-captured.ts';

const registered = 'fake-registered-secret-not-real-0000wxyz';

function masker(): SecretMasker {
  const result = new SecretMasker();
  result.register(registered);
  return result;
}

describe('masking a captured part', () => {
  it('credential headers keep only their tail (and their scheme); other headers pass through the masker', () => {
    const headers = maskHeaders(
      {
        Authorization: 'Bearer some-oauth-token-value-1234',
        'x-api-key': 'short',
        'x-goog-api-key': 'fake-google-key-not-real-9876',
        cookie: ['a=1', 'b=2'],
        'x-echo': `the key ${registered} again`,
        'content-type': 'application/json',
        absent: undefined,
      },
      masker(),
    );
    expect(headers).toEqual({
      authorization: 'Bearer ****1234',
      'x-api-key': '****',
      'x-goog-api-key': '****9876',
      cookie: '****', // 8 characters or fewer: nothing kept
      'x-echo': 'the key ****wxyz again',
      'content-type': 'application/json',
    });
  });

  it('a key in the query is masked, under each of the usual names', () => {
    expect(maskLine('POST /v1beta/models/g:generateContent?alt=sse&key=fake-query-key-not-real-5555', masker())).toBe('POST /v1beta/models/g:generateContent?alt=sse&key=****5555');
    expect(maskLine('GET /x?access_token=abc', masker())).toBe('GET /x?access_token=****');
  });

  it('bodies: every registered secret and every well-known key shape; a stream becomes its events', () => {
    const body = new BoundedBytes(10_000);
    body.push(`data: {"text":"${registered}"}\n\n`);
    // Built at run time so the file itself holds no literal with a real key's shape (secret scanners flag those).
    const keyShaped = ['sk-ant', 'fake0000000000000000abcd'].join('-');
    body.push(`data: {"text":"${keyShaped}"}\n\ndata: [DONE]\n\n`);
    const part = maskPart({ line: '200', headers: {}, body, stream: true }, masker());
    expect(part.body).not.toContain(registered);
    expect(part.body).not.toContain('sk-ant-fake');
    expect(part.events).toEqual(['data: {"text":"****wxyz"}', 'data: {"text":"****abcd"}', 'data: [DONE]']);
    expect(part.omittedBytes).toBe(0);
  });

  it('a whole body has no events; what the cap left out is counted', () => {
    const body = new BoundedBytes(4);
    body.push('{"a":1}');
    expect(maskPart({ line: 'POST /v1/messages', headers: {}, body, stream: false }, masker())).toEqual({ line: 'POST /v1/messages', headers: {}, body: '{"a"', events: null, omittedBytes: 3 });
  });
});
