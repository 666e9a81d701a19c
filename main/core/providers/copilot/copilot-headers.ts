import { randomUUID } from 'node:crypto';

// The editor identity Copilot expects on its token exchange and API calls (observed in ericc-ch/copilot-api
// src/lib/api-config.ts). GitHub does not document these; they are what the VS Code Copilot Chat plugin sends.
export const copilotEditorVersion = 'vscode/1.104.0';
export const copilotPluginVersion = 'copilot-chat/0.31.0';
export const copilotUserAgent = 'GitHubCopilotChat/0.31.0';
export const copilotApiVersion = '2025-04-01';

/** Headers of the GitHub side (token exchange, quota): the editor identity. */
export function copilotGithubHeaders(githubToken: string): Record<string, string> {
  return {
    authorization: `token ${githubToken}`,
    'editor-version': copilotEditorVersion,
    'editor-plugin-version': copilotPluginVersion,
    'user-agent': copilotUserAgent,
    'x-github-api-version': copilotApiVersion,
    'x-vscode-user-agent-library-version': 'electron-fetch',
  };
}

/** Headers of a Copilot API request (chat completions, models). */
export function copilotApiHeaders(copilotToken: string): Record<string, string> {
  return {
    authorization: `Bearer ${copilotToken}`,
    'copilot-integration-id': 'vscode-chat',
    'editor-version': copilotEditorVersion,
    'editor-plugin-version': copilotPluginVersion,
    'user-agent': copilotUserAgent,
    'openai-intent': 'conversation-panel',
    'x-github-api-version': copilotApiVersion,
    'x-request-id': randomUUID(),
    'x-vscode-user-agent-library-version': 'electron-fetch',
  };
}
