import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { MalformedClientFileError } from './client-module.ts';
import { setCodexProvider } from './codex-config-text.ts';

const values = { baseUrl: 'http://127.0.0.1:8787/v1', key: 'sy-fake-key-for-tests' };
const edit = (text: string | undefined) => setCodexProvider('/home/user/.codex/config.toml', text, values);

function provider(text: string): Record<string, unknown> {
  const parsed = parse(text) as { model_provider: string; model_providers: Record<string, Record<string, unknown>> };
  expect(parsed.model_provider).toBe('switchyard');
  return parsed.model_providers.switchyard ?? {};
}

describe('the Codex config.toml editor', () => {
  it('keeps every other byte: CRLF line endings, comments, a file without a final newline', () => {
    const original = '# top\r\nmodel = "gpt-5" # why\r\n\r\n[tui]\r\nnotifications = true';
    const result = edit(original);
    expect(result.startsWith('# top\r\nmodel = "gpt-5" # why\r\nmodel_provider = "switchyard"\r\n\r\n[tui]\r\nnotifications = true')).toBe(true);
    expect(result).not.toMatch(/[^\r]\n/);
    expect(provider(result).experimental_bearer_token).toBe(values.key);
  });

  it('replaces an existing selector and quoted table header in place, keeping their comments and extra keys', () => {
    const original = 'model_provider = "openai" # was openai\n\n[model_providers."switchyard"]\nbase_url = "http://old/v1" # old\nrequest_max_retries = 2\n\n[model_providers.switchyard.http_headers]\nX-Team = "a"\n';
    const result = edit(original);
    expect(result).toContain('model_provider = "switchyard" # was openai');
    expect(result).toContain(`base_url = "${values.baseUrl}" # old`);
    expect(provider(result)).toMatchObject({ request_max_retries: 2, http_headers: { 'X-Team': 'a' }, wire_api: 'responses' });
    expect(edit(result)).toBe(result); // idempotent
  });

  it('is not fooled by table-like text inside strings and lists', () => {
    const original = 'notes = """\n[model_providers.switchyard]\nmodel_provider = "x"\n"""\nlist = [\n  "[a]", # [b]\n  \'\'\'[c]\'\'\',\n]\n';
    const result = edit(original);
    expect(result.startsWith(original)).toBe(true);
    expect((parse(result) as { notes: string }).notes).toContain('[model_providers.switchyard]');
    expect(provider(result).name).toBe('Switchyard');
  });

  it('adds the table after a sub-table defined first, which TOML allows', () => {
    const result = edit('[model_providers.switchyard.http_headers]\nX-Team = "a"\n');
    expect(provider(result)).toMatchObject({ base_url: values.baseUrl, http_headers: { 'X-Team': 'a' } });
  });

  it('refuses forms it cannot edit in place, naming the file and leaving it alone', () => {
    for (const text of ['model_providers.switchyard.base_url = "x"\n', '[model_providers]\nswitchyard = { base_url = "x" }\n', 'model_providers = { other = { name = "o" } }\n']) {
      expect(() => edit(text)).toThrow(MalformedClientFileError);
    }
    expect(() => edit('model = "a"\nmodel = "b"\n')).toThrow(/config.toml:2: not valid TOML/);
  });

  it('writes values with characters TOML must escape', () => {
    const result = setCodexProvider('/c.toml', undefined, { baseUrl: 'http://127.0.0.1:8787/v1', key: 'sy-"quoted"\\back' });
    expect(provider(result).experimental_bearer_token).toBe('sy-"quoted"\\back');
  });
});
