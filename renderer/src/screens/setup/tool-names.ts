import type { ConfigurableClientId } from '../../../../shared/api-contract.ts';

/** How the wizard names the tools it configures (the engine's clients.status says the same as `displayName`). */
export const toolNames: Record<ConfigurableClientId, string> = { 'claude-code': 'Claude Code', codex: 'Codex CLI', 'gemini-cli': 'Gemini CLI' };
