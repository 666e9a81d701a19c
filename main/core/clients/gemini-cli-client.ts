import { join } from 'node:path';
import type { ClientFileText, ClientModule, ClientReading, SwitchyardTarget } from './client-module.ts';
import { MalformedClientFileError } from './client-module.ts';
import { readDotenv, setDotenvValues } from './dotenv-text.ts';
import { isJsonObject, parseJsonObject, setJsonValues } from './json-text.ts';

/** Gemini CLI's own name for "use a Gemini API key" (AuthType.USE_GEMINI in packages/core/src/core/contentGenerator.ts). */
export const geminiApiKeyAuthType = 'gemini-api-key';

function files(home: string): string[] {
  return [join(home, '.gemini', '.env'), join(home, '.gemini', 'settings.json')];
}

function split(list: readonly ClientFileText[]): { environment: ClientFileText; settings: ClientFileText } {
  const [environment, settings] = list;
  if (!environment || !settings) throw new Error('Gemini CLI has two files');
  return { environment, settings };
}

function selectedAuthType(file: ClientFileText): unknown {
  return readSecurity(file).auth;
}

/** The `security` object of settings.json ({} when absent), checked for shape. */
function readSecurity(file: ClientFileText): { auth: unknown; folderTrust: unknown } {
  const settings = parseJsonObject(file.path, file.text, { comments: true });
  if (settings.security === undefined) return { auth: undefined, folderTrust: undefined };
  if (!isJsonObject(settings.security)) throw new MalformedClientFileError(file.path, undefined, '"security" is not an object');
  return { auth: authTypeOf(file, settings.security.auth), folderTrust: settings.security.folderTrust };
}

function authTypeOf(file: ClientFileText, auth: unknown): unknown {
  if (auth === undefined) return undefined;
  if (!isJsonObject(auth)) throw new MalformedClientFileError(file.path, undefined, '"security.auth" is not an object');
  return auth.selectedType;
}

/**
 * Gemini CLI loads ~/.gemini/.env at start (packages/cli/src/config/settings.ts, findEnvFile/loadEnvironment in
 * github.com/google-gemini/gemini-cli) and reads GOOGLE_GEMINI_BASE_URL and GEMINI_API_KEY from it
 * (packages/core/src/core/contentGenerator.ts). settings.json `security.auth.selectedType = "gemini-api-key"` makes
 * it use that key instead of asking how to sign in. Gemini CLI loads that .env only in trusted folders (folder trust
 * is on by default; packages/cli/src/config/trustedFolders.ts), so status says so.
 */
export const geminiCliClient: ClientModule = {
  id: 'gemini-cli',
  displayName: 'Gemini CLI',
  executable: 'gemini',
  homeFolder: '.gemini',
  vendorHosts: ['generativelanguage.googleapis.com', 'aiplatform.googleapis.com', 'cloudcode-pa.googleapis.com'],
  owns: ['.env: GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY', 'settings.json: security.auth.selectedType'],
  files,

  read(list): ClientReading {
    const { environment, settings } = split(list);
    const values = readDotenv(environment.text);
    const authType = selectedAuthType(settings);
    const warnings: string[] = [];
    // Folder trust is on unless turned off; Gemini CLI then loads ~/.gemini/.env only when started in a trusted folder.
    const trust = readSecurity(settings).folderTrust;
    if (!(isJsonObject(trust) && trust.enabled === false)) warnings.push('Gemini CLI reads ~/.gemini/.env only in folders you trust (it asks the first time you start it in a folder); in other folders it ignores the file.');
    if (authType !== undefined && authType !== geminiApiKeyAuthType) warnings.push(`settings.json selects sign-in "${String(authType)}"; Gemini CLI then ignores GEMINI_API_KEY.`);
    const signedInElsewhere = authType === 'oauth-personal' || authType === 'vertex-ai' || authType === 'compute-default-credentials';
    return { baseUrl: signedInElsewhere ? undefined : values.get('GOOGLE_GEMINI_BASE_URL'), key: values.get('GEMINI_API_KEY'), warnings };
  },

  edit(list, target: SwitchyardTarget): string[] {
    const { environment, settings } = split(list);
    selectedAuthType(settings); // malformed files are reported, never rewritten
    return [
      setDotenvValues(environment.text, { GOOGLE_GEMINI_BASE_URL: target.origin, GEMINI_API_KEY: target.key }),
      setJsonValues(settings.text, [{ path: ['security', 'auth', 'selectedType'], value: geminiApiKeyAuthType }]),
    ];
  },
};
