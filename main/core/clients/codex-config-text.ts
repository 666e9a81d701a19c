import { parse, TomlError } from 'smol-toml';
import { lineAt, MalformedClientFileError } from './client-module.ts';
import type { TomlItem, TomlPair } from './toml-layout.ts';
import { samePath, tomlLayout, TomlLayoutError } from './toml-layout.ts';

/** The provider id Switchyard adds to Codex's config.toml. */
export const codexProviderId = 'switchyard';
const providerTable = ['model_providers', codexProviderId];

export interface CodexProviderValues {
  baseUrl: string;
  key: string;
}

/**
 * The keys of `[model_providers.switchyard]` Switchyard writes, in the order it writes them. The key goes in
 * `experimental_bearer_token`: Codex sends it as `Authorization: Bearer` with no environment variable and no login
 * (codex-rs/core/src/model_provider_info.rs in github.com/openai/codex; see docs/clients.md).
 */
function ownedPairs(values: CodexProviderValues): Array<[string, string]> {
  return [
    ['name', 'Switchyard'],
    ['base_url', values.baseUrl],
    ['wire_api', 'responses'],
    ['experimental_bearer_token', values.key],
  ];
}

/** Keys of our own table that would defeat the bearer token (an env_key whose variable is unset is an error in Codex). */
const removedFromOwnTable = ['env_key', 'requires_openai_auth'];

function tomlString(value: string): string {
  // JSON's escapes (\" \\ \n \uXXXX ...) are all valid in a TOML basic string.
  return JSON.stringify(value);
}

/** Parses config.toml with a real TOML parser, reporting the line of the first problem. */
export function parseCodexConfig(path: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) throw new MalformedClientFileError(path, error.line, `not valid TOML (${error.message.split('\n')[0]})`);
    throw error;
  }
}

function layoutOf(path: string, text: string): TomlItem[] {
  try {
    return tomlLayout(text);
  } catch (error) {
    if (error instanceof TomlLayoutError) throw new MalformedClientFileError(path, lineAt(text, error.offset), error.message);
    throw error;
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyTextEdits(text: string, edits: Edit[]): string {
  let result = text;
  // From the end backwards; of two insertions at one offset the one listed first ends up first in the text.
  const ordered = edits.map((edit, index) => ({ edit, index })).sort((left, right) => right.edit.start - left.edit.start || right.index - left.index);
  for (const { edit } of ordered) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/**
 * Points Codex at Switchyard: top-level `model_provider = "switchyard"` and a `[model_providers.switchyard]` table.
 * Existing values of those keys are replaced where they stand (their comments stay); missing ones are added after
 * the last key of their table; nothing else in the file changes. The result is re-parsed and checked.
 */
export function setCodexProvider(path: string, text: string | undefined, values: CodexProviderValues): string {
  const original = text ?? '';
  parseCodexConfig(path, original);
  const items = layoutOf(path, original);
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const edits: Edit[] = [];
  const pairs = items.filter((item): item is TomlPair => item.kind === 'pair');

  const selector = pairs.find((pair) => pair.table.length === 0 && samePath(pair.key, ['model_provider']));
  if (selector) edits.push({ start: selector.valueStart, end: selector.valueEnd, text: tomlString(codexProviderId) });
  else {
    const lastTopLevel = pairs.filter((pair) => pair.table.length === 0).at(-1);
    const line = `model_provider = ${tomlString(codexProviderId)}${eol}`;
    if (lastTopLevel) {
      const needsBreak = original[lastTopLevel.lineEnd - 1] !== '\n';
      edits.push({ start: lastTopLevel.lineEnd, end: lastTopLevel.lineEnd, text: `${needsBreak ? eol : ''}${line}` });
    }
    else edits.push({ start: 0, end: 0, text: original.trim() === '' ? line : `${line}${eol}` });
  }

  const header = items.find((item) => item.kind === 'header' && samePath(item.path, providerTable));
  const underTable = (itemPath: readonly string[]): boolean => samePath(itemPath.slice(0, 2), providerTable);
  // Keys of our table written outside it (dotted keys, `switchyard = { ... }`) cannot be edited in place safely.
  if (pairs.some((pair) => underTable([...pair.table, ...pair.key]) && !underTable(pair.table))) {
    throw new MalformedClientFileError(path, undefined, `model_providers.${codexProviderId} is written as dotted keys or an inline table; Switchyard edits only a [model_providers.${codexProviderId}] table. Rewrite it as one (or remove it)`);
  }
  if (pairs.some((pair) => pair.table.length === 0 && samePath(pair.key, ['model_providers']))) {
    throw new MalformedClientFileError(path, undefined, 'model_providers is an inline table; TOML cannot add a table to it. Write each provider as a [model_providers.<id>] table');
  }

  const wanted = ownedPairs(values);
  if (header) {
    const inTable = pairs.filter((pair) => samePath(pair.table, providerTable) && pair.lineStart >= header.lineEnd);
    const missing: string[] = [];
    for (const [key, value] of wanted) {
      const found = inTable.filter((pair) => samePath(pair.key, [key]));
      if (found.length === 0) missing.push(`${key} = ${tomlString(value)}${eol}`);
      for (const pair of found) edits.push({ start: pair.valueStart, end: pair.valueEnd, text: tomlString(value) });
    }
    for (const pair of inTable) if (pair.key.length === 1 && removedFromOwnTable.includes(pair.key[0] as string)) edits.push({ start: pair.lineStart, end: pair.lineEnd, text: '' });
    const insertAt = inTable.at(-1)?.lineEnd ?? header.lineEnd;
    const needsBreak = insertAt > 0 && original[insertAt - 1] !== '\n';
    if (missing.length > 0) edits.push({ start: insertAt, end: insertAt, text: `${needsBreak ? eol : ''}${missing.join('')}` });
  } else {
    const table = [`[${providerTable.join('.')}]`, ...wanted.map(([key, value]) => `${key} = ${tomlString(value)}`)].join(eol);
    const separator = original.trim() === '' ? eol : original.endsWith(`${eol}${eol}`) || original.endsWith('\n\n') ? '' : original.endsWith('\n') ? eol : `${eol}${eol}`;
    edits.push({ start: original.length, end: original.length, text: `${separator}${table}${eol}` });
  }

  const result = applyTextEdits(original, edits);
  verify(path, result, values);
  return result;
}

/** Refuses to write a file that would not say what we meant (a scanner mistake must never reach the user's file). */
function verify(path: string, text: string, values: CodexProviderValues): void {
  const parsed = parseCodexConfig(path, text);
  const provider = (parsed.model_providers as Record<string, Record<string, unknown>> | undefined)?.[codexProviderId];
  const ok =
    parsed.model_provider === codexProviderId &&
    provider !== undefined &&
    ownedPairs(values).every(([key, value]) => provider[key] === value) &&
    removedFromOwnTable.every((key) => provider[key] === undefined);
  if (!ok) throw new MalformedClientFileError(path, undefined, 'Switchyard could not edit this file safely (the edited text did not read back as intended)');
}

/** Where Codex sends requests according to config.toml: the selected provider's base URL and bearer token. */
export function readCodexProvider(parsed: Record<string, unknown>): { providerId: string; baseUrl: string | undefined; key: string | undefined; warnings: string[] } {
  const warnings: string[] = [];
  const providerId = typeof parsed.model_provider === 'string' ? parsed.model_provider : 'openai';
  const providers = (parsed.model_providers ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const provider = providers[providerId];
  const profile = typeof parsed.profile === 'string' ? parsed.profile : undefined;
  const profileProvider = profile ? ((parsed.profiles as Record<string, Record<string, unknown>> | undefined)?.[profile]?.model_provider as string | undefined) : undefined;
  if (profileProvider !== undefined && profileProvider !== providerId) warnings.push(`the active profile "${profile}" selects model_provider "${profileProvider}", which wins over the top-level one`);
  return {
    providerId,
    baseUrl: typeof provider?.base_url === 'string' ? provider.base_url : undefined,
    key: typeof provider?.experimental_bearer_token === 'string' ? provider.experimental_bearer_token : undefined,
    warnings,
  };
}
