import { join } from 'node:path';
import type { ClientModule, ClientReading, SwitchyardTarget } from './client-module.ts';
import { singleFile } from './client-module.ts';
import { parseCodexConfig, readCodexProvider, setCodexProvider } from './codex-config-text.ts';

function configPath(home: string): string {
  return join(home, '.codex', 'config.toml');
}


/** Codex CLI: a `switchyard` model provider (Responses API) in ~/.codex/config.toml, selected as model_provider. */
export const codexClient: ClientModule = {
  id: 'codex',
  displayName: 'Codex CLI',
  executable: 'codex',
  homeFolder: '.codex',
  vendorHosts: ['api.openai.com', 'chatgpt.com'],
  owns: ['model_provider', '[model_providers.switchyard] name, base_url, wire_api, experimental_bearer_token'],
  files: (home) => [configPath(home)],

  read(files): ClientReading {
    const file = singleFile(files, 'Codex');
    const provider = readCodexProvider(parseCodexConfig(file.path, file.text));
    // The built-in "openai" provider (no base_url of its own) is the vendor.
    return { baseUrl: provider.baseUrl, key: provider.key, warnings: provider.warnings };
  },

  edit(files, target: SwitchyardTarget): string[] {
    const file = singleFile(files, 'Codex');
    return [setCodexProvider(file.path, file.text, { baseUrl: `${target.origin}/v1`, key: target.key })];
  },
};
