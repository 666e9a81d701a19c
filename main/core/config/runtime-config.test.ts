import { describe, expect, it } from 'vitest';
import type { SwitchyardConfigInput } from '../../../shared/config/config-schema.ts';
import { configSchema } from '../../../shared/config/config-schema.ts';
import { SecretMasker } from '../logging/secret-masker.ts';
import { keylessKeyId } from '../providers/key-requirement.ts';
import { buildRuntimeConfig, guardProviders, RuntimeConfigError } from './runtime-config.ts';

const local = { clientKey: 'sy-fake-runtime-client-key-000000', managementToken: 'sym-fake-runtime-token-0000000000' };

function build(config: SwitchyardConfigInput) {
  return buildRuntimeConfig(configSchema.parse(config), { env: {} }, local, new SecretMasker());
}

describe('keys at config load', () => {
  it('serves a keyless kind (Ollama) configured without keys through its one slot, and tells the guard so', async () => {
    const runtime = await build({ providers: [{ id: 'local', type: 'ollama' }] });
    expect(runtime.providers.get('local')!.keys).toEqual([{ id: keylessKeyId, secret: '', enabled: true }]);
    expect(guardProviders(runtime)[0]!.keys.map((key) => key.id)).toEqual([keylessKeyId]);
  });

  it('refuses a kind that needs a key and has none, with words that say what to do, instead of sending an empty Bearer', async () => {
    const refused = await build({ providers: [{ id: 'gpt', type: 'openai' }, { id: 'or', type: 'openrouter', keys: [] }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RuntimeConfigError);
    expect((refused as RuntimeConfigError).problems).toEqual([
      'providers[0].keys: provider "gpt" (openai) needs an API key; add one, or switch the provider off',
      'providers[1].keys: provider "or" (openrouter) needs an API key; add one, or switch the provider off',
    ]);
  });

  it('lets a provider without keys stay in the settings while it is switched off', async () => {
    const runtime = await build({ providers: [{ id: 'gpt', type: 'openai', enabled: false }] });
    expect(runtime.providers.get('gpt')!.keys).toEqual([]);
  });

  it('a keyless kind with a key configured (a proxy in front of Ollama) uses that key, not the slot', async () => {
    const runtime = await build({ providers: [{ id: 'local', type: 'ollama', keys: [{ id: 'proxy', secret: 'fake-proxy-key-000000000' }] }] });
    expect(runtime.providers.get('local')!.keys.map((key) => key.id)).toEqual(['proxy']);
  });
});
