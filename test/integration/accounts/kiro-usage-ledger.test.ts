// Kiro answers in the usage ledger: the token counts of CodeWhisperer's event stream (messageMetadataEvent
// tokenUsage) become the row's tokens, whole and streamed, from more than one client format; an answer without a
// token event is estimated; the row names the account (never a token) and costs "included" (a subscription). Real
// parts: the fake AWS OIDC and CodeWhisperer, the engine with its SQLite ledger, the official SDKs.
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { AccountPool } from '../../../main/core/accounts/account-pool.ts';
import { FileSecretStore } from '../../../main/core/secrets/file-secret-store.ts';
import { startFakeAwsOidc, type FakeAwsOidc } from '../../helpers/fake-accounts/fake-aws-oidc.ts';
import { startFakeCodewhisperer, type FakeCodewhisperer } from '../../helpers/fake-accounts/fake-aws-codewhisperer.ts';
import { startEngine, type RunningEngine } from '../../helpers/start-engine.ts';
import { charactersPerToken } from '../../../main/core/formats/estimate-tokens.ts';
import { temporaryDataDir } from '../../helpers/usage-events.ts';

let oidc: FakeAwsOidc;
let codewhisperer: FakeCodewhisperer;
let running: RunningEngine;
let accountId: string;
const data = temporaryDataDir();
const secrets = new FileSecretStore(join(data.dir, 'secrets.json'));

interface Row {
  provider: string;
  account_id: string | null;
  key_id: string | null;
  client_format: string;
  stream: number;
  outcome: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  estimated: number;
  cost_basis: string;
  cost_usd: number | null;
}

let seen = 0;
/** The ledger rows added since the last call, read from the SQLite file after the ledger wrote its queue. */
function newRows(): Row[] {
  running.engine.usage!.recent();
  const db = new Database(join(data.dir, 'usage.db'), { readonly: true });
  try {
    const all = db.prepare('SELECT * FROM requests ORDER BY id').all() as Row[];
    const added = all.slice(seen);
    seen = all.length;
    return added;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  oidc = await startFakeAwsOidc();
  codewhisperer = await startFakeCodewhisperer(oidc);
  const hostOverrides = { 'oidc.us-east-1.amazonaws.com': oidc.url, 'codewhisperer.us-east-1.amazonaws.com': codewhisperer.url };
  const pool = new AccountPool({ dataDir: data.dir, secrets });
  await pool.load();
  const handle = await pool.signIn('kiro', { config: providerSchema.parse({ id: 'kiro', type: 'kiro' }), hostOverrides }, {});
  if (handle.prompt.kind !== 'device') throw new Error('expected a device prompt');
  oidc.approve(handle.prompt.userCode, { email: 'ledger.fake@example.com', userId: 'user-fake-ledger' });
  accountId = (await handle.done).record.id;
  await pool.close();
  running = await startEngine(
    { providers: [{ id: 'kiro', type: 'kiro', models: ['claude-sonnet-4.5'], fetchModels: false }], network: { hostOverrides } },
    { logLevel: 'warn', dataDir: data.dir, accounts: { dataDir: data.dir, secrets } },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([oidc?.close(), codewhisperer?.close()]);
  data.remove();
});

describe('Kiro usage in the ledger', () => {
  it('the event stream’s token counts are the row’s tokens, whole and streamed, Anthropic and OpenAI clients alike', async () => {
    codewhisperer.setHandler(() => ({ kind: 'answer', answer: { text: 'Counted answer.', inputTokens: 321, cacheReadTokens: 100, outputTokens: 45 } }));
    const anthropic = new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });
    await anthropic.messages.create({ model: 'kiro/claude-sonnet-4.5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const stream = await anthropic.messages.create({ model: 'kiro/claude-sonnet-4.5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const event of stream) void event;
    const openai = new OpenAI({ apiKey: running.clientKey, baseURL: `${running.url}/v1`, maxRetries: 0 });
    const chunks = await openai.chat.completions.create({ model: 'kiro/claude-sonnet-4.5', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const chunk of chunks) void chunk;

    const rows = newRows();
    expect(rows.map((row) => [row.client_format, row.stream])).toEqual([
      ['anthropic', 0],
      ['anthropic', 1],
      ['openai-chat', 1],
    ]);
    for (const row of rows) {
      // uncachedInputTokens 321 is the input outside the cache; the 100 cached tokens are counted apart.
      expect(row).toMatchObject({ provider: 'kiro', account_id: accountId, key_id: null, outcome: 'ok', input_tokens: 321, cache_read_tokens: 100, output_tokens: 45, estimated: 0, cost_basis: 'included', cost_usd: null });
    }
  });

  it('an answer without a token event still gets its row, its tokens estimated (the output from the text, through the Kiro wire decoder) and the row marked so', async () => {
    const text = 'An answer whose tokens nobody counted for us.';
    codewhisperer.setHandler(() => ({ kind: 'answer', answer: { text, noTokenEvent: true } }));
    const anthropic = new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });
    await anthropic.messages.create({ model: 'kiro/claude-sonnet-4.5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const stream = await anthropic.messages.create({ model: 'kiro/claude-sonnet-4.5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const event of stream) void event;
    const rows = newRows();
    expect(rows.map((row) => row.stream)).toEqual([0, 1]);
    for (const row of rows) {
      expect(row).toMatchObject({ account_id: accountId, outcome: 'ok', estimated: 1, cache_read_tokens: 0, output_tokens: Math.ceil(text.length / charactersPerToken) });
      expect(row.input_tokens).toBeGreaterThan(0);
    }
  });
});
