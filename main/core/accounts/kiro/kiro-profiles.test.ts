import { describe, expect, it } from 'vitest';
import { kiroAdapter } from '../../providers/kiro/adapter.ts';
import { parseEndpoint } from '../../providers/provider-adapter.ts';
import { chooseProfile, parseProfiles } from './kiro-profiles.ts';

const virginia = 'arn:aws:codewhisperer:us-east-1:000000000000:profile/FAKEIAD';
const frankfurt = 'arn:aws:codewhisperer:eu-central-1:000000000000:profile/FAKEFRA';

describe('CodeWhisperer profiles (Kiro, IAM Identity Center)', () => {
  it('reads arn (or profileArn) and the name, skips entries without a profile ARN, and passes the next page on', () => {
    const parsed = parseProfiles({
      profiles: [{ arn: frankfurt, profileName: 'fake-frankfurt' }, { profileArn: virginia }, { arn: 'not-an-arn' }, { profileName: 'no arn' }, null],
      nextToken: 'page-2',
    });
    expect(parsed).toEqual({
      profiles: [
        { arn: frankfurt, region: 'eu-central-1', name: 'fake-frankfurt' },
        { arn: virginia, region: 'us-east-1' },
      ],
      nextToken: 'page-2',
    });
    expect(parseProfiles(undefined)).toEqual({ profiles: [] });
    expect(parseProfiles({ profiles: 'nope', nextToken: '' })).toEqual({ profiles: [] });
  });

  it('chooses the profile of the region requests go to (us-east-1), else the first', () => {
    const both = parseProfiles({ profiles: [{ arn: frankfurt }, { arn: virginia }] }).profiles;
    expect(chooseProfile(both)?.arn).toBe(virginia);
    expect(chooseProfile(both.slice(0, 1))?.arn).toBe(frankfurt);
    expect(chooseProfile([])).toBeUndefined();
  });

  it('the adapter puts the profile into the chat body and the model list query, and leaves them alone without one', () => {
    const endpoint = parseEndpoint('https://codewhisperer.us-east-1.amazonaws.com');
    const body = Buffer.from(JSON.stringify({ conversationState: { chatTriggerType: 'MANUAL' } }));
    const call = { endpoint, format: 'anthropic' as const, operation: 'generate' as const, model: 'claude-sonnet-4.5', stream: true, credential: 'fake-token', clientHeaders: {}, body };
    const withProfile = kiroAdapter.prepare({ ...call, profileArn: virginia });
    expect(JSON.parse(withProfile.body!.toString('utf8'))).toEqual({ conversationState: { chatTriggerType: 'MANUAL' }, profileArn: virginia });
    expect(kiroAdapter.prepare(call).body).toBeUndefined();
    const listed = new URL(kiroAdapter.listModels!({ endpoint, credential: 'fake-token', profileArn: virginia }).path, 'https://x');
    expect(Object.fromEntries(listed.searchParams)).toEqual({ origin: 'AI_EDITOR', profileArn: virginia });
    expect(kiroAdapter.listModels!({ endpoint, credential: 'fake-token' }).path).toBe('/ListAvailableModels?origin=AI_EDITOR');
  });
});
