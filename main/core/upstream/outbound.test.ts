import { describe, expect, it } from 'vitest';
import { networkSchema } from '../../../shared/config/network-schema.ts';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { bypassesProxy, environmentProxy } from './environment-proxy.ts';
import { redactProxyUrl, resolveOutboundSettings } from './outbound-settings.ts';

describe('proxy from the environment', () => {
  const https = new URL('https://api.anthropic.com/v1/messages');
  const http = new URL('http://localhost:11434/api/chat');

  it('picks HTTPS_PROXY for https, HTTP_PROXY for http, ALL_PROXY for either; lower case wins', () => {
    expect(environmentProxy(https, { HTTPS_PROXY: 'http://corp:3128', HTTP_PROXY: 'http://other:1' })).toBe('http://corp:3128');
    expect(environmentProxy(http, { HTTPS_PROXY: 'http://corp:3128', HTTP_PROXY: 'http://other:1' })).toBe('http://other:1');
    expect(environmentProxy(https, { ALL_PROXY: 'socks5://tor:9050' })).toBe('socks5://tor:9050');
    expect(environmentProxy(https, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })).toBe('http://lower:1');
    expect(environmentProxy(https, { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(environmentProxy(https, {})).toBeUndefined();
  });

  it.each([
    ['*', true],
    ['anthropic.com', true],
    ['.anthropic.com', true],
    ['*.anthropic.com', true],
    ['api.anthropic.com:443', true],
    ['api.anthropic.com:8443', false],
    ['openai.com, example.org', false],
    ['notanthropic.com', false],
    ['', false],
  ])('NO_PROXY=%j exempts api.anthropic.com: %s', (noProxy, exempt) => {
    expect(bypassesProxy(new URL('https://api.anthropic.com/v1/messages'), noProxy)).toBe(exempt);
  });

  it('NO_PROXY with IP literals', () => {
    expect(bypassesProxy(new URL('http://127.0.0.1:11434/'), 'localhost,127.0.0.1')).toBe(true);
    expect(bypassesProxy(new URL('http://[::1]:11434/'), '[::1]')).toBe(true);
    expect(environmentProxy(new URL('http://127.0.0.1:11434/'), { HTTP_PROXY: 'http://corp:1', NO_PROXY: '127.0.0.1' })).toBeUndefined();
  });
});

describe('which proxy a send uses', () => {
  const provider = (input: Record<string, unknown>) => providerSchema.parse({ id: 'p', type: 'anthropic', ...input });
  const network = (input: Record<string, unknown>) => networkSchema.parse(input);
  const origin = 'https://api.anthropic.com';
  const env = { HTTPS_PROXY: 'http://env-proxy:3128' };

  it('key over provider over network over environment; "direct" stops the search', () => {
    const keys = [
      { id: 'own', secret: 'x', proxy: 'socks5://key-proxy:1080' },
      { id: 'direct', secret: 'x', proxy: 'direct' },
      { id: 'plain', secret: 'x' },
    ];
    const settings = resolveOutboundSettings(provider({ keys, proxy: 'http://provider-proxy:8080' }), origin, network({ proxy: 'http://global:1' }), env);
    expect(settings.proxyFor('own')).toBe('socks5://key-proxy:1080');
    expect(settings.proxyFor('direct')).toBeUndefined();
    expect(settings.proxyFor('plain')).toBe('http://provider-proxy:8080');
    expect(resolveOutboundSettings(provider({}), origin, network({ proxy: 'http://global:1' }), env).proxyFor('k')).toBe('http://global:1');
    expect(resolveOutboundSettings(provider({}), origin, network({}), env).proxyFor('k')).toBe('http://env-proxy:3128');
    expect(resolveOutboundSettings(provider({ proxy: 'direct' }), origin, network({}), env).proxyFor('k')).toBeUndefined();
    expect(resolveOutboundSettings(provider({}), origin, network({ useEnvironmentProxy: false }), env).proxyFor('k')).toBeUndefined();
  });

  it('timeouts: provider fields over network fields', () => {
    const settings = resolveOutboundSettings(provider({ timeouts: { firstByteMs: 5_000 } }), origin, network({ timeouts: { connectMs: 2_000, firstByteMs: 60_000 } }), {});
    expect(settings.timeouts).toEqual({ connectMs: 2_000, firstByteMs: 5_000 });
  });

  it('refuses proxy URLs of other kinds at config load', () => {
    expect(providerSchema.safeParse({ id: 'p', type: 'anthropic', proxy: 'ftp://x:21' }).success).toBe(false);
    expect(providerSchema.safeParse({ id: 'p', type: 'anthropic', proxy: 'socks5h://x:1080' }).success).toBe(true);
  });

  it('never shows a proxy password', () => {
    expect(redactProxyUrl('http://alice:s3cret@proxy:3128')).toBe('http://alice:****@proxy:3128');
    expect(redactProxyUrl('socks5://proxy:1080')).toBe('socks5://proxy:1080');
  });
});
