import { describe, expect, it } from 'vitest';
import type { RequestLogConfig } from '../../../../shared/config/request-log-schema.ts';
import { requestLogSchema } from '../../../../shared/config/request-log-schema.ts';
import { createLogger } from '../../logging/logger.ts';
import type { RequestCapture } from './request-capture.ts';
import { describeLogging, partCapOf, RequestLog } from './request-log.ts';

function logWith(overrides: Partial<RequestLogConfig> = {}) {
  let config = requestLogSchema.parse(overrides);
  const log = new RequestLog({ logger: createLogger({ sink: () => undefined }), now: () => 1000, config: () => config });
  return { log, setConfig: (next: Partial<RequestLogConfig>) => (config = requestLogSchema.parse(next)) };
}

/** One request through the log as the HTTP edge drives it; returns whether a capture was begun. */
function serve(log: RequestLog, provider: string | null, text = 'hello'): boolean {
  const capture: RequestCapture | undefined = log.begin('openai-chat');
  if (!capture) return false;
  capture.received('POST', '/v1/chat/completions', { authorization: 'Bearer sy-fake-client-key-not-real-1234' }, Buffer.from(`{"messages":"${text}"}`));
  if (provider) {
    capture.sentUpstream(provider, 'openai-chat', 'http://127.0.0.1:1/v1/chat/completions', {}, Buffer.from('{}'), false);
    capture.upstreamHead(200, {}, false);
    capture.upstreamBytes('{"choices":[]}');
  }
  capture.clientBytes('{"choices":[]}');
  capture.answered(provider ? 200 : 400, { 'content-type': 'application/json' }, false);
  log.complete(capture);
  return true;
}

describe('request log policy', () => {
  it('off by default: no capture is even begun, and the status says off', () => {
    const { log } = logWith();
    expect(serve(log, 'p')).toBe(false);
    expect(log.status()).toMatchObject({ capturing: false, configEnabled: false, session: null, summary: 'off', keep: 'memory', entries: 0 });
  });

  it('the dashboard switch logs exactly the next N requests to its provider, then turns itself off', () => {
    const { log } = logWith();
    log.start(2, 'p');
    expect(log.status().summary).toBe('on for the next 2 requests to p');
    serve(log, 'other'); // begun (the provider is not known yet), but not kept, and it does not count
    serve(log, 'p', 'first');
    expect(log.status().summary).toBe('on for the next request to p');
    serve(log, 'p', 'second');
    expect(serve(log, 'p', 'third')).toBe(false);
    const { entries } = log.list(undefined, 10);
    expect(entries.map((entry) => entry.provider)).toEqual(['p', 'p']);
    expect(log.read(entries[0]!.id)!.clientRequest.body).toContain('second');
    expect(log.read(entries[0]!.id)!.clientRequest.headers.authorization).toBe('Bearer ****1234');
    expect(log.status()).toMatchObject({ capturing: false, session: null, entries: 2 });
  });

  it('the config: every provider, or only the listed ones; refused requests only when no list is given', () => {
    const { log, setConfig } = logWith({ enabled: true });
    expect(log.status().summary).toBe('on (usage.requestLog.enabled) for every provider');
    serve(log, 'a');
    serve(log, null);
    setConfig({ enabled: true, providers: ['b'] });
    serve(log, 'a');
    serve(log, 'b');
    serve(log, null);
    expect(log.list(undefined, 10).entries.map((entry) => entry.provider)).toEqual(['b', null, 'a']);
  });

  it('stop ends the switch but leaves the config alone; clear empties the log', () => {
    const { log } = logWith();
    log.start(5, null);
    serve(log, 'p');
    log.stop();
    expect(serve(log, 'p')).toBe(false);
    expect(log.status().entries).toBe(1);
    log.clear();
    expect(log.status().entries).toBe(0);
  });

  it('each part keeps at most an eighth of the byte cap, and at most 1 MiB', () => {
    expect(partCapOf(requestLogSchema.parse({ maxMegabytes: 2 }))).toBe(256 * 1024);
    expect(partCapOf(requestLogSchema.parse({ maxMegabytes: 100 }))).toBe(1024 * 1024);
    const { log } = logWith({ enabled: true, maxMegabytes: 1 });
    serve(log, 'p', 'y'.repeat(200_000));
    const [summary] = log.list(undefined, 1).entries;
    expect(log.read(summary!.id)!.clientRequest.omittedBytes).toBe(200_000 + '{"messages":""}'.length - 128 * 1024);
  });

  it('describes itself in words for the screen', () => {
    const config = requestLogSchema.parse({});
    expect(describeLogging(config, undefined)).toBe('off');
    expect(describeLogging(config, { remaining: 3, provider: null })).toBe('on for the next 3 requests');
    expect(describeLogging({ ...config, enabled: true, providers: ['a', 'b'] }, undefined)).toBe('on (usage.requestLog.enabled) for a, b');
  });
});
