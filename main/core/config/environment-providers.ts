import type { ProviderConfig, ProviderPreset, ProviderType } from '../../../shared/config/provider-schema.ts';
import { providerSchema } from '../../../shared/config/provider-schema.ts';

type Environment = Record<string, string | undefined>;

// Zero-config `serve`: providers come from the usual environment variables. Numbered variants add keys to the
// same provider (GEMINI_API_KEY_1 ... _N), so several keys for one provider need no config file.
// Base URLs are deliberately NOT read from ANTHROPIC_BASE_URL & co.: users set those to point their tools at
// Switchyard, and reading them here would make Switchyard call itself. SWITCHYARD_<PROVIDER>_BASE_URL overrides
// (the provider id in capitals, dashes as underscores: SWITCHYARD_GLM_INTL_BASE_URL).
const sources: Array<{ id: string; type: ProviderType; preset?: ProviderPreset; variables: string[] }> = [
  { id: 'anthropic', type: 'anthropic', variables: ['ANTHROPIC_API_KEY'] },
  { id: 'openai', type: 'openai', variables: ['OPENAI_API_KEY'] },
  { id: 'gemini', type: 'gemini', variables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
  { id: 'openrouter', type: 'openrouter', variables: ['OPENROUTER_API_KEY'] },
  // Compatible vendors, under the variable names their own SDKs and docs use.
  { id: 'deepseek', type: 'openai-compatible', preset: 'deepseek', variables: ['DEEPSEEK_API_KEY'] },
  { id: 'kimi', type: 'openai-compatible', preset: 'kimi', variables: ['MOONSHOT_API_KEY'] },
  { id: 'glm', type: 'openai-compatible', preset: 'glm', variables: ['ZHIPUAI_API_KEY'] },
  { id: 'glm-intl', type: 'openai-compatible', preset: 'glm-intl', variables: ['ZAI_API_KEY'] },
  { id: 'minimax', type: 'openai-compatible', preset: 'minimax', variables: ['MINIMAX_API_KEY'] },
];

/** Variable names that hold keys for `base`: BASE itself, then BASE_1, BASE_2, ... in numeric order. */
export function numberedVariables(environment: Environment, base: string): string[] {
  const numbered = Object.keys(environment)
    .map((name) => ({ name, match: new RegExp(`^${base}_(\\d+)$`).exec(name) }))
    .filter((entry) => entry.match && environment[entry.name])
    .sort((a, b) => Number(a.match![1]) - Number(b.match![1]))
    .map((entry) => entry.name);
  return [...(environment[base] ? [base] : []), ...numbered];
}

export function providersFromEnvironment(environment: Environment): ProviderConfig[] {
  const providers: ProviderConfig[] = [];
  for (const source of sources) {
    const variables = [...new Set(source.variables.flatMap((base) => numberedVariables(environment, base)))];
    // The same key under two names (GEMINI_API_KEY and GOOGLE_API_KEY) is one key.
    const seen = new Set<string>();
    const unique = variables.filter((name) => {
      const value = environment[name]!;
      if (seen.has(value)) return false;
      seen.add(value);
      return true;
    });
    if (unique.length === 0) continue;
    const baseUrl = environment[`SWITCHYARD_${source.id.toUpperCase().replace(/-/g, '_')}_BASE_URL`];
    providers.push(
      providerSchema.parse({
        id: source.id,
        type: source.type,
        ...(source.preset ? { preset: source.preset } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        keys: unique.map((name) => ({ id: name.toLowerCase().replace(/_/g, '-'), secret: { env: name } })),
      }),
    );
  }
  return providers;
}
