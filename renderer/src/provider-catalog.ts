import type { ProviderType } from '../../shared/config/provider-schema.ts';

export interface CatalogEntry {
  type: ProviderType;
  label: string;
  blurb: string;
  /** Suggested id (what clients write before the slash: `anthropic/claude-sonnet-4-5`). */
  suggestedId: string;
  /** A starting model list; the user can change it. */
  models: string[];
  /** What a key looks like, to help people paste the right thing. */
  keyHint: string;
  /** Where to create a key. */
  keysUrl?: string;
  /** Compatible hosts need an address. */
  needsBaseUrl: boolean;
  baseUrlPlaceholder?: string;
  /** Ollama runs locally and usually needs no key. */
  keyOptional?: boolean;
  /** Subscription kinds (copilot, codex): signed-in accounts instead of keys (docs/accounts.md). */
  signIn?: boolean;
}

// The starting model lists are only suggestions; providers rename models often, so the form lets people edit them.
export const providerCatalog: CatalogEntry[] = [
  {
    type: 'anthropic',
    label: 'Anthropic',
    blurb: 'Claude, with a Console API key.',
    suggestedId: 'anthropic',
    models: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
    keyHint: 'Starts with sk-ant-',
    keysUrl: 'https://console.anthropic.com/settings/keys',
    needsBaseUrl: false,
  },
  {
    type: 'openai',
    label: 'OpenAI',
    blurb: 'GPT, with a platform API key.',
    suggestedId: 'openai',
    models: ['gpt-5', 'gpt-5-mini'],
    keyHint: 'Starts with sk-',
    keysUrl: 'https://platform.openai.com/api-keys',
    needsBaseUrl: false,
  },
  {
    type: 'gemini',
    label: 'Google Gemini',
    blurb: 'Gemini, with AI Studio keys.',
    suggestedId: 'gemini',
    models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
    keyHint: 'Starts with AIza',
    keysUrl: 'https://aistudio.google.com/apikey',
    needsBaseUrl: false,
  },
  {
    type: 'openrouter',
    label: 'OpenRouter',
    blurb: 'Many vendors behind one key.',
    suggestedId: 'openrouter',
    models: ['anthropic/claude-sonnet-4.5'],
    keyHint: 'Starts with sk-or-',
    keysUrl: 'https://openrouter.ai/keys',
    needsBaseUrl: false,
  },
  {
    type: 'openai-compatible',
    label: 'OpenAI-compatible',
    blurb: 'DeepSeek, Kimi, GLM, local servers.',
    suggestedId: 'compatible',
    models: [],
    keyHint: 'The key the service gave you',
    needsBaseUrl: true,
    baseUrlPlaceholder: 'https://api.example.com/v1',
  },
  {
    type: 'anthropic-compatible',
    label: 'Anthropic-compatible',
    blurb: 'Services with Claude’s API shape.',
    suggestedId: 'claude-compatible',
    models: [],
    keyHint: 'The key the service gave you',
    needsBaseUrl: true,
    baseUrlPlaceholder: 'https://api.example.com/anthropic',
  },
  {
    type: 'ollama',
    label: 'Ollama',
    blurb: 'Models on this computer.',
    suggestedId: 'ollama',
    models: ['llama3.2'],
    keyHint: 'Usually no key is needed',
    needsBaseUrl: false,
    baseUrlPlaceholder: 'http://127.0.0.1:11434',
    keyOptional: true,
  },
  {
    type: 'copilot',
    label: 'GitHub Copilot',
    blurb: 'Your Copilot plan, signed in with GitHub.',
    suggestedId: 'copilot',
    models: ['gpt-4.1', 'claude-sonnet-4'],
    keyHint: 'No key: sign in with your GitHub account',
    needsBaseUrl: false,
    signIn: true,
  },
  {
    type: 'codex',
    label: 'ChatGPT (Codex)',
    blurb: 'Your ChatGPT plan, signed in with OpenAI.',
    suggestedId: 'codex',
    models: ['gpt-5-codex', 'gpt-5'],
    keyHint: 'No key: sign in with your ChatGPT account',
    needsBaseUrl: false,
    signIn: true,
  },
  {
    type: 'kiro',
    label: 'Kiro',
    blurb: 'Your Kiro plan, signed in with AWS Builder ID or IAM Identity Center.',
    suggestedId: 'kiro',
    models: ['claude-sonnet-4.5', 'claude-haiku-4.5'],
    keyHint: 'No key: sign in with your AWS Builder ID or IAM Identity Center account',
    needsBaseUrl: false,
    signIn: true,
  },
  {
    type: 'gemini-cli',
    label: 'Gemini Code Assist',
    blurb: 'Gemini CLI’s Google sign-in, for Code Assist Standard / Enterprise.',
    suggestedId: 'gemini-cli',
    models: ['gemini-2.5-pro', 'gemini-2.5-flash'],
    keyHint: 'No key: sign in with your Google account',
    needsBaseUrl: false,
    signIn: true,
  },
];

export function catalogEntry(type: ProviderType): CatalogEntry {
  return providerCatalog.find((entry) => entry.type === type) ?? providerCatalog[0]!;
}
