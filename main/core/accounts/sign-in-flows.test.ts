import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { MemorySecretStore } from '../secrets/secret-store.ts';
import { AccountPool } from './account-pool.ts';
import { SignInFlows } from './sign-in-flows.ts';

// The control service's view of a sign-in, against the real Codex browser flow with its listener on a free port.
// The vendor is never reached here: the flows are cancelled or given a wrong redirect before any exchange.
const pool = new AccountPool({ dataDir: mkdtempSync(join(tmpdir(), 'switchyard-flows-')), secrets: new MemorySecretStore() });
const flows = new SignInFlows(pool);
const binding = { config: providerSchema.parse({ id: 'codex', type: 'codex' }), hostOverrides: { 'auth.openai.com': 'http://127.0.0.1:9' } };

afterAll(() => pool.close());

describe('sign-in flows for the control service', () => {
  it('gives the risk text per kind before anything starts', () => {
    expect(flows.risk('copilot').paragraphs.join(' ')).toContain('excessive automated');
    expect(flows.risk('codex').paragraphs.join(' ')).toContain('has not published a clear policy');
  });

  it('start shows the prompt (with the override applied); cancel ends it with a clear message and nothing stored', async () => {
    const started = await flows.start('codex', binding, { callbackPorts: [0] });
    expect(started.prompt).toMatchObject({ kind: 'browser', listening: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\/oauth\/authorize\?/) });
    expect(flows.cancel(started.flowId)).toBe(true);
    expect(await flows.wait(started.flowId)).toEqual({ ok: false, failure: 'cancelled', message: 'The sign-in was cancelled. Nothing was stored.' });
    expect(await pool.registry.list()).toEqual([]);
  });

  it('a pasted redirect URL of another sign-in is refused', async () => {
    const started = await flows.start('codex', binding, { callbackPorts: [0] });
    expect(flows.submitRedirectUrl(started.flowId, 'http://localhost:1455/auth/callback?code=x&state=not-this-one')).toBe(true);
    expect(await flows.wait(started.flowId)).toMatchObject({ ok: false, failure: 'state-mismatch' });
    flows.cancel(started.flowId);
  });

  it('an unknown flow reads as expired', async () => {
    expect(await flows.wait('no-such-flow')).toMatchObject({ ok: false, failure: 'expired' });
    expect(flows.submitRedirectUrl('no-such-flow', 'http://x')).toBe(false);
  });
});
