import { describe, expect, it } from 'vitest';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { configuredAdapter } from './provider-adapter.ts';
import { providerAdapter } from './index.ts';

const adapterFor = (settings: Record<string, unknown>) => {
  const config = providerSchema.parse({ id: 'p', ...settings });
  return configuredAdapter(providerAdapter(config.type)!, config);
};

describe('openaiApi', () => {
  it('keeps Chat as the format other clients are translated to by default', () => {
    expect(adapterFor({ type: 'openai' }).nativeFormats).toEqual(['openai-chat', 'openai-responses']);
    expect(adapterFor({ type: 'openai-compatible' }).nativeFormats).toEqual(['openai-chat']);
  });

  it('openai: translates other clients to Responses but still passes Chat and Responses clients through', () => {
    expect(adapterFor({ type: 'openai', openaiApi: 'responses' }).nativeFormats).toEqual(['openai-responses', 'openai-chat']);
  });

  it('openai-compatible: a Responses-only host, so Chat clients are translated too; presets keep their base URL', () => {
    expect(adapterFor({ type: 'openai-compatible', openaiApi: 'responses' }).nativeFormats).toEqual(['openai-responses']);
    const preset = adapterFor({ type: 'openai-compatible', preset: 'deepseek', openaiApi: 'responses' });
    expect(preset.nativeFormats).toEqual(['openai-responses']);
    expect(preset.defaultBaseUrl).toBe(adapterFor({ type: 'openai-compatible', preset: 'deepseek' }).defaultBaseUrl);
  });
});
