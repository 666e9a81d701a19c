import { join } from 'node:path';
import type { ClientModule, ClientReading, SwitchyardTarget } from './client-module.ts';
import { MalformedClientFileError, singleFile } from './client-module.ts';
import { isJsonObject, parseJsonObject, setJsonValues } from './json-text.ts';

function settingsPath(home: string): string {
  return join(home, '.claude', 'settings.json');
}

function environmentOf(path: string, text: string | undefined): Record<string, unknown> {
  const settings = parseJsonObject(path, text, { comments: false });
  if (settings.env === undefined) return {};
  if (!isJsonObject(settings.env)) throw new MalformedClientFileError(path, undefined, '"env" is not an object');
  return settings.env;
}


/**
 * Claude Code reads `env` from ~/.claude/settings.json and applies it to every session, so the base URL and key
 * need no shell variables (https://docs.anthropic.com/en/docs/claude-code/settings). ANTHROPIC_AUTH_TOKEN is sent
 * as `Authorization: Bearer`.
 */
export const claudeCodeClient: ClientModule = {
  id: 'claude-code',
  displayName: 'Claude Code',
  executable: 'claude',
  homeFolder: '.claude',
  vendorHosts: ['api.anthropic.com'],
  owns: ['env.ANTHROPIC_BASE_URL', 'env.ANTHROPIC_AUTH_TOKEN'],
  files: (home) => [settingsPath(home)],

  read(files): ClientReading {
    const file = singleFile(files, 'Claude Code');
    const environment = environmentOf(file.path, file.text);
    const settings = parseJsonObject(file.path, file.text, { comments: false });
    const warnings: string[] = [];
    // Claude Code sends ANTHROPIC_API_KEY as x-api-key, which Switchyard reads before the Bearer token.
    if (typeof environment.ANTHROPIC_API_KEY === 'string') warnings.push('env.ANTHROPIC_API_KEY is set in settings.json; Claude Code sends it too, and Switchyard would check that key instead of its own. Remove it.');
    if (typeof settings.apiKeyHelper === 'string') warnings.push('apiKeyHelper is set in settings.json; Claude Code takes its key from that script instead of ANTHROPIC_AUTH_TOKEN.');
    return {
      baseUrl: typeof environment.ANTHROPIC_BASE_URL === 'string' ? environment.ANTHROPIC_BASE_URL : undefined,
      key: typeof environment.ANTHROPIC_AUTH_TOKEN === 'string' ? environment.ANTHROPIC_AUTH_TOKEN : undefined,
      warnings,
    };
  },

  edit(files, target: SwitchyardTarget): string[] {
    const file = singleFile(files, 'Claude Code');
    environmentOf(file.path, file.text); // malformed files are reported, never rewritten
    return [
      setJsonValues(file.text, [
        { path: ['env', 'ANTHROPIC_BASE_URL'], value: target.origin },
        { path: ['env', 'ANTHROPIC_AUTH_TOKEN'], value: target.key },
      ]),
    ];
  },
};
