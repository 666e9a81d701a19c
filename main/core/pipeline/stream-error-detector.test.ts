import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../shared/wire-format.ts';
import { createStreamErrorDetector } from './stream-error-detector.ts';

const errors: Record<WireFormat, string> = {
  anthropic: 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
  'openai-chat': 'data: {"error":{"message":"boom","type":"server_error"}}\n\n',
  'openai-responses': 'event: response.failed\ndata: {"type":"response.failed","response":{}}\n\n',
  gemini: 'data: {"error":{"code":503,"message":"unavailable","status":"UNAVAILABLE"}}\n\n',
};

// Ordinary events that merely talk about errors (a model explaining an error message) must not count.
const innocent: Record<WireFormat, string> = {
  anthropic: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"event: error means"}}\n\n',
  'openai-chat': 'data: {"choices":[{"delta":{"content":"the \\"error\\" field"}}]}\n\n',
  'openai-responses': 'event: response.output_text.delta\ndata: {"delta":"an error occurred"}\n\n',
  gemini: 'data: {"candidates":[{"content":{"parts":[{"text":"\\"error\\": 1"}]}}]}\n\n',
};

describe('stream error detector', () => {
  for (const format of Object.keys(errors) as WireFormat[]) {
    it(`${format}: notices the provider's own error event, not talk about errors`, () => {
      const detector = createStreamErrorDetector(format, 'p');
      detector.inspect(Buffer.from(innocent[format]));
      expect(detector.reported()).toBeUndefined();
      detector.inspect(Buffer.from(errors[format]));
      expect(detector.reported()).toMatchObject({ code: 'upstream_error', scope: 'provider', provider: 'p' });
      expect(detector.reported()!.upstreamBody).toContain('data: {');
    });
  }
});
