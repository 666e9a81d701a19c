import { claudeCodeClient } from './claude-code-client.ts';
import type { ClientId, ClientModule } from './client-module.ts';
import { codexClient } from './codex-client.ts';
import { geminiCliClient } from './gemini-cli-client.ts';

/** The one list of supported tools, in the order they are shown. */
export const clientModules: readonly ClientModule[] = [claudeCodeClient, codexClient, geminiCliClient];

export function clientModule(id: ClientId): ClientModule {
  const found = clientModules.find((module) => module.id === id);
  if (!found) throw new Error(`No client module "${id}"`);
  return found;
}
