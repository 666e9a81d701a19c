import type { ProviderType } from '../../../shared/config/provider-schema.ts';
import type { ProviderAdapter } from './provider-adapter.ts';
import { anthropicAdapter } from './anthropic/adapter.ts';
import { anthropicCompatibleAdapter } from './anthropic-compatible/adapter.ts';
import { codexAdapter } from './codex/adapter.ts';
import { copilotAdapter } from './copilot/adapter.ts';
import { geminiAdapter } from './gemini/adapter.ts';
import { kiroAdapter } from './kiro/adapter.ts';
import { geminiCliAdapter } from './gemini-cli/adapter.ts';
import { ollamaAdapter } from './ollama/adapter.ts';
import { openaiAdapter } from './openai/adapter.ts';
import { openaiCompatibleAdapter } from './openai-compatible/adapter.ts';
import { openrouterAdapter } from './openrouter/adapter.ts';

/** The registry of provider kinds. Adding a provider = one folder + one line here. */
const adapters: Record<ProviderType, ProviderAdapter> = {
  anthropic: anthropicAdapter,
  'anthropic-compatible': anthropicCompatibleAdapter,
  openai: openaiAdapter,
  'openai-compatible': openaiCompatibleAdapter,
  gemini: geminiAdapter,
  openrouter: openrouterAdapter,
  ollama: ollamaAdapter,
  copilot: copilotAdapter,
  codex: codexAdapter,
  kiro: kiroAdapter,
  'gemini-cli': geminiCliAdapter,
};

export function providerAdapter(type: ProviderType): ProviderAdapter | undefined {
  return adapters[type];
}

export function supportedProviderTypes(): ProviderType[] {
  return Object.keys(adapters) as ProviderType[];
}
