import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../shared/config/config-schema.ts';
import { chooseAccountProvider } from './choose-account-provider.ts';

const config = (providers: Array<{ id: string; type: string }>) => configSchema.parse({ providers });

describe('which provider a new account joins', () => {
  it('the named one, the only one of the kind, or a new one in the settings', () => {
    expect(chooseAccountProvider(config([{ id: 'gh', type: 'copilot' }]), 'copilot', { providerId: 'gh' })).toMatchObject({ kind: 'existing', provider: { id: 'gh' } });
    expect(chooseAccountProvider(config([{ id: 'gh', type: 'copilot' }]), 'copilot', {})).toMatchObject({ kind: 'existing', provider: { id: 'gh' } });
    expect(chooseAccountProvider(config([{ id: 'codex', type: 'openai' }]), 'codex', {})).toEqual({ kind: 'create', id: 'codex-2' });
    expect(chooseAccountProvider(config([]), 'copilot', { providerId: 'work' })).toEqual({ kind: 'create', id: 'work' });
  });
  it('never creates one in a --config file, and asks when the choice is not clear', () => {
    expect(chooseAccountProvider(config([]), 'codex', { configFile: 'my.json' })).toMatchObject({ kind: 'error', message: expect.stringContaining('Add a provider to my.json') });
    expect(chooseAccountProvider(config([{ id: 'a', type: 'codex' }, { id: 'b', type: 'codex' }]), 'codex', {})).toMatchObject({ kind: 'error', message: expect.stringContaining('--provider') });
    expect(chooseAccountProvider(config([{ id: 'gh', type: 'openai' }]), 'copilot', { providerId: 'gh' })).toMatchObject({ kind: 'error', message: expect.stringContaining('not copilot') });
  });
});
