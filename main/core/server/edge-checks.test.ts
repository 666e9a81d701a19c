import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { KeyChecker, presentedClientKey, presentedManagementToken } from './client-auth.ts';
import { hostnameOf, isAllowedHost, isAllowedOrigin } from './host-check.ts';
import { formatForPath, matchRoute } from './inbound-routes.ts';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('client keys', () => {
  it('matches any configured key and nothing else', () => {
    const checker = new KeyChecker(['sy-one', 'sy-two']);
    expect(checker.matches('sy-two')).toBe(true);
    expect(checker.matches('sy-three')).toBe(false);
    expect(checker.matches('sy-tw')).toBe(false);
    expect(checker.matches('')).toBe(false);
    expect(checker.matches(undefined)).toBe(false);
    expect(new KeyChecker([]).matches('anything')).toBe(false);
  });

  it('reads the key the way each SDK sends it', () => {
    const none = new URLSearchParams();
    expect(presentedClientKey(request({ 'x-api-key': 'a' }), none)).toBe('a');
    expect(presentedClientKey(request({ authorization: 'Bearer b' }), none)).toBe('b');
    expect(presentedClientKey(request({ authorization: 'bearer   c ' }), none)).toBe('c');
    expect(presentedClientKey(request({ 'x-goog-api-key': 'd' }), none)).toBe('d');
    expect(presentedClientKey(request({}), new URLSearchParams('key=e'))).toBe('e');
    expect(presentedClientKey(request({ authorization: 'Basic xyz' }), none)).toBeUndefined();
    expect(presentedManagementToken(request({ 'x-switchyard-token': 't' }))).toBe('t');
  });
});

describe('host and origin checks (DNS rebinding)', () => {
  const allowed = new Set(['switchyard.lan']);
  it('accepts IP literals, localhost and configured names', () => {
    for (const host of ['127.0.0.1:8787', '[::1]:8787', 'localhost:8787', 'LOCALHOST', '192.168.1.20:8787', 'switchyard.lan:8787', 'app.localhost']) {
      expect(isAllowedHost(host, allowed), host).toBe(true);
    }
  });

  it('refuses other names and a missing Host', () => {
    for (const host of ['evil.example', 'evil.example:8787', '127.0.0.1.evil.example', undefined]) expect(isAllowedHost(host, allowed), String(host)).toBe(false);
  });

  it('accepts only our own origins: the host:port served, the desktop window, and allowed hosts', () => {
    const served = '127.0.0.1:8787';
    expect(isAllowedOrigin(undefined, served, allowed)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:8787', served, allowed)).toBe(true);
    expect(isAllowedOrigin('http://LOCALHOST:8787', 'localhost:8787', allowed)).toBe(true);
    expect(isAllowedOrigin('http://[::1]:8787', '[::1]:8787', allowed)).toBe(true);
    expect(isAllowedOrigin('switchyard://app', served, allowed)).toBe(true);
    expect(isAllowedOrigin('http://switchyard.lan:3000', served, allowed)).toBe(true);
  });

  it('refuses foreign and opaque origins, IP literals included', () => {
    const served = '127.0.0.1:8787';
    expect(isAllowedOrigin('https://evil.example', served, allowed)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:3000', served, allowed)).toBe(false);
    expect(isAllowedOrigin('http://192.168.1.7:8787', served, allowed)).toBe(false);
    expect(isAllowedOrigin('https://127.0.0.1:8787', served, allowed)).toBe(false);
    expect(isAllowedOrigin('http://localhost:8787', served, allowed)).toBe(false);
    expect(isAllowedOrigin('switchyard://evil', served, allowed)).toBe(false);
    expect(isAllowedOrigin('file://', served, allowed)).toBe(false);
    expect(isAllowedOrigin('null', served, allowed)).toBe(false);
    expect(isAllowedOrigin('not a url', served, allowed)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:8787', undefined, allowed)).toBe(false);
    expect(hostnameOf('[::1]:80')).toBe('::1');
  });
});

describe('inbound routes', () => {
  it('maps each API path to its format and operation', () => {
    expect(matchRoute('POST', '/v1/messages', false)).toEqual({ kind: 'model', format: 'anthropic', operation: 'generate' });
    expect(matchRoute('POST', '/v1/messages/count_tokens', false)).toEqual({ kind: 'model', format: 'anthropic', operation: 'countTokens' });
    expect(matchRoute('POST', '/chat/completions', false)).toEqual({ kind: 'model', format: 'openai-chat', operation: 'generate' });
    expect(matchRoute('POST', '/v1/responses', false)).toEqual({ kind: 'model', format: 'openai-responses', operation: 'generate' });
    expect(matchRoute('POST', '/v1beta/models/work/gemini-2.5-flash:streamGenerateContent', false)).toEqual({
      kind: 'model',
      format: 'gemini',
      operation: 'generate',
      pathModel: 'work/gemini-2.5-flash',
      pathStream: true,
    });
    expect(matchRoute('POST', '/v1beta/models/a%2Fb:countTokens', false)).toMatchObject({ operation: 'countTokens', pathModel: 'a/b' });
    expect(matchRoute('GET', '/v1/models', true)).toEqual({ kind: 'list-models', shape: 'anthropic' });
    expect(matchRoute('GET', '/v1/models', false, true)).toEqual({ kind: 'list-models', shape: 'gemini' });
    expect(matchRoute('GET', '/v1/models', false)).toEqual({ kind: 'list-models', shape: 'openai' });
    expect(matchRoute('POST', '/v1/embeddings', false)).toEqual({ kind: 'model', format: 'openai-chat', operation: 'embed' });
    expect(matchRoute('POST', '/embeddings', false)).toEqual({ kind: 'model', format: 'openai-chat', operation: 'embed' });
    expect(matchRoute('POST', '/v1/images/generations', false)).toEqual({ kind: 'model', format: 'openai-chat', operation: 'generateImage' });
    expect(matchRoute('GET', '/v1/embeddings', false)).toEqual({ kind: 'method-not-allowed', format: 'openai-chat', allow: 'POST' });
    expect(matchRoute('POST', '/v1beta/models/gem/text-embedding-004:embedContent', false)).toEqual({ kind: 'model', format: 'gemini', operation: 'embed', pathModel: 'gem/text-embedding-004', pathStream: false, singleContent: true });
    expect(matchRoute('POST', '/v1beta/models/e:batchEmbedContents', false)).toEqual({ kind: 'model', format: 'gemini', operation: 'embed', pathModel: 'e', pathStream: false });
    expect(matchRoute('GET', '/v1/messages', false)).toEqual({ kind: 'method-not-allowed', format: 'anthropic', allow: 'POST' });
    expect(matchRoute('DELETE', '/api/anything', false)).toEqual({ kind: 'management', path: '/api/anything' });
  });

  it('guesses the caller format for unknown paths', () => {
    expect(formatForPath('/v1/messages/batches')).toBe('anthropic');
    expect(formatForPath('/v1beta/cachedContents')).toBe('gemini');
    expect(formatForPath('/v1/embeddings')).toBe('openai-chat');
    expect(formatForPath('/models/x:batchEmbedContents')).toBe('gemini');
  });
});
