import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import { configSchema } from '../../../shared/config/config-schema.ts';
import { checkConfigReferences } from '../../../shared/config/check-config-references.ts';
import { isRecord } from '../../../shared/is-record.ts';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source} is not a valid Switchyard config:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface ValidatedConfig {
  config: SwitchyardConfig;
  /** Things that did not stop the config from loading (unknown fields, inline secrets). */
  warnings: string[];
}

/** `providers[0].keys[1].secret` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? String(part) : `.${String(part)}`;
  return text === '' ? '(top level)' : text;
}

function removeKeys(input: unknown, path: readonly PropertyKey[], keys: readonly string[]): void {
  let node = input as Record<PropertyKey, unknown> | undefined;
  for (const part of path) node = node?.[part] as Record<PropertyKey, unknown> | undefined;
  if (node && typeof node === 'object') for (const key of keys) delete node[key];
}

function collectInlineSecretWarnings(config: SwitchyardConfig): string[] {
  const warnings: string[] = [];
  config.server.clientKeys.forEach((ref, index) => {
    if (typeof ref === 'string') warnings.push(`server.clientKeys[${index}]: inline secret in the config file; prefer {"env": "NAME"}`);
  });
  config.providers.forEach((provider, index) =>
    provider.keys.forEach((key, keyIndex) => {
      if (typeof key.secret === 'string') warnings.push(`providers[${index}].keys[${keyIndex}].secret: inline secret in the config file; prefer {"env": "NAME"}`);
    }),
  );
  return warnings;
}

/**
 * Validates a parsed config against the schema in shared/. Every problem is reported as `path: reason`; unknown
 * fields are warnings (they are dropped and the rest loads), so a config written for a newer version still starts.
 */
export function validateConfig(input: unknown, source = 'config'): ValidatedConfig {
  const working: unknown = structuredClone(input);
  const warnings: string[] = [];
  let result = configSchema.safeParse(working);
  if (!result.success) {
    const unknown = result.error.issues.filter((issue): issue is z.core.$ZodIssueUnrecognizedKeys => issue.code === 'unrecognized_keys');
    const others = result.error.issues.filter((issue) => issue.code !== 'unrecognized_keys');
    for (const issue of unknown) {
      for (const key of issue.keys) warnings.push(`${formatPath([...issue.path, key])}: unknown field, ignored`);
      removeKeys(working, issue.path, issue.keys);
    }
    if (others.length > 0) {
      const problems = others.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
      // zod skips the cross-reference checks when the shape is wrong; run them anyway so one start lists every
      // problem (a wrong port and a combo naming a missing provider), not one batch per attempt.
      for (const problem of referenceProblems(working)) if (!problems.includes(problem)) problems.push(problem);
      throw new ConfigError(source, problems);
    }
    result = configSchema.safeParse(working);
    if (!result.success) throw new ConfigError(source, result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`));
  }
  return { config: result.data, warnings: [...warnings.sort(), ...collectInlineSecretWarnings(result.data)] };
}

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The reference checks on a config whose shape is (partly) wrong: best effort, on the parts that look right. */
function referenceProblems(input: unknown): string[] {
  if (!isRecord(input)) return [];
  const problems: string[] = [];
  const shaped = {
    ...input,
    providers: listOf(input.providers).filter(isRecord).filter((provider) => typeof provider.id === 'string').map((provider) => ({ ...provider, keys: listOf(provider.keys).filter(isRecord), models: listOf(provider.models) })),
    combos: listOf(input.combos).filter(isRecord).filter((combo) => typeof combo.name === 'string').map((combo) => ({ ...combo, targets: listOf(combo.targets).filter((target) => typeof target === 'string' || isRecord(target)) })),
    activeCombo: typeof input.activeCombo === 'string' ? input.activeCombo : undefined,
  };
  const context = {
    addIssue(issue: { path?: PropertyKey[]; message?: string }) {
      problems.push(`${formatPath(issue.path ?? [])}: ${issue.message ?? 'invalid'}`);
    },
    value: shaped,
  } as unknown as z.RefinementCtx;
  try {
    checkConfigReferences(shaped as unknown as Parameters<typeof checkConfigReferences>[0], context);
  } catch {
    // The shape is too broken to check references; the structural problems already explain why.
  }
  return problems;
}

export function parseConfigText(text: string, source: string): ValidatedConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [`(file): not valid JSON: ${(error as Error).message}`]);
  }
  return validateConfig(parsed, source);
}

export async function loadConfigFile(path: string): Promise<ValidatedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(path, [code === 'ENOENT' ? '(file): no such file' : `(file): cannot be read (${code ?? String(error)})`]);
  }
  return parseConfigText(text, path);
}
