import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppRequest } from './app-protocol.ts';

const renderer = resolve('/opt/Switchyard/resources/app.asar/dist/renderer');

describe('resolveAppRequest', () => {
  it('serves files of the built renderer', () => {
    expect(resolveAppRequest('switchyard://app/index.html', renderer)).toEqual({ kind: 'file', path: join(renderer, 'index.html') });
    expect(resolveAppRequest('switchyard://app/assets/index-abc123.js?v=1#x', renderer)).toEqual({ kind: 'file', path: join(renderer, 'assets', 'index-abc123.js') });
    expect(resolveAppRequest('switchyard://app/assets/my%20font.woff2', renderer)).toEqual({ kind: 'file', path: join(renderer, 'assets', 'my font.woff2') });
  });

  it('answers client-side routes with index.html', () => {
    expect(resolveAppRequest('switchyard://app/', renderer)).toEqual({ kind: 'file', path: join(renderer, 'index.html') });
    expect(resolveAppRequest('switchyard://app/providers', renderer)).toEqual({ kind: 'file', path: join(renderer, 'index.html') });
  });

  it('cannot climb out with dot segments: URL parsing clamps them at the root', () => {
    expect(resolveAppRequest('switchyard://app/../../secrets.json', renderer)).toEqual({ kind: 'file', path: join(renderer, 'secrets.json') });
    expect(resolveAppRequest('switchyard://app/%2e%2e/%2e%2e/etc/shadow.json', renderer)).toEqual({ kind: 'file', path: join(renderer, 'etc', 'shadow.json') });
  });

  it.each([
    'switchyard://app/assets/..%2f..%2f..%2fconfig.json',
    'switchyard://app/assets/..%5c..%5cconfig.json',
    'switchyard://app/index.html%00.png',
    'switchyard://app/%E0%A4%A',
    'switchyard://other/index.html',
    'https://app/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppRequest(url, renderer).kind).toBe('not-found');
  });
});
