import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../shared/config/config-schema.ts';
import { buildRuntimeConfig } from '../config/runtime-config.ts';
import { SecretMasker } from '../logging/secret-masker.ts';
import { ModelCatalog } from './model-catalog.ts';

async function runtime() {
  const config = configSchema.parse({
    providers: [
      { id: 'a', type: 'openai', keys: [{ id: 'k', secret: 'inline-secret-aaaa' }], models: ['configured'] },
      { id: 'b', type: 'openai', keys: [{ id: 'k', secret: 'inline-secret-bbbb' }], fetchModels: false, models: ['only'] },
      { id: 'c', type: 'openai-compatible', preset: 'kimi', keys: [{ id: 'k', secret: 'inline-secret-cccc' }] },
    ],
  });
  return buildRuntimeConfig(config, { env: {} }, { clientKey: 'sy-client-key-for-tests-000000', managementToken: 'sym-token-for-tests-0000000' }, new SecretMasker());
}

describe('model catalog', () => {
  it('fetches on demand, caches within the TTL, keeps configured and preset models, skips fetchModels:false', async () => {
    let now = 1_000;
    const calls: string[] = [];
    const catalog = new ModelCatalog({
      now: () => now,
      fetch: async (provider) => {
        calls.push(provider.id);
        if (provider.id === 'c') throw new Error('401 bad key');
        return ['fetched-1', 'fetched-2'];
      },
    });
    const live = await runtime();
    const entries = await catalog.refresh(live);
    expect(calls.sort()).toEqual(['a', 'c']);
    expect(entries).toEqual([
      { providerId: 'a', models: ['configured', 'fetched-1', 'fetched-2'], source: 'fetched', fetchedAt: 1_000 },
      { providerId: 'b', models: ['only'], source: 'configured' },
      { providerId: 'c', models: ['kimi-k2.6', 'kimi-k2.5'], source: 'configured', fetchedAt: 1_000, error: '401 bad key' },
    ]);
    expect(catalog.models('a')).toEqual(['fetched-1', 'fetched-2']);

    now += 30_000;
    await catalog.refresh(live);
    expect(calls).toHaveLength(2);
    now += 60_000; // past the failure back-off, within the success TTL
    await catalog.refresh(live);
    expect(calls.filter((id) => id === 'c')).toHaveLength(2);
    expect(calls.filter((id) => id === 'a')).toHaveLength(1);
    await catalog.refresh(live, { force: true });
    expect(calls.filter((id) => id === 'a')).toHaveLength(2);
  });

  it('does not wait for slow providers longer than waitMs', async () => {
    const catalog = new ModelCatalog({ waitMs: 50, fetch: () => new Promise((resolve) => setTimeout(() => resolve(['late']), 300)) });
    const started = Date.now();
    const entries = await catalog.refresh(await runtime());
    expect(Date.now() - started).toBeLessThan(250);
    expect(entries[0]!.source).toBe('configured');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(catalog.models('a')).toEqual(['late']);
  });
});
