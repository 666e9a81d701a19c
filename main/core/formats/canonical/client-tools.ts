// How a tool call looks to the client: its own tool name (when the request encoder had to rename it for the
// upstream) and, for Codex-style freeform tools, the raw input instead of JSON arguments.
import type { EncodeResponseOptions } from '../codec.ts';
import { isRecord, parseJsonQuietly } from './json-values.ts';

export function clientToolName(name: string, options: Pick<EncodeResponseOptions, 'renamedTools'>): string {
  return options.renamedTools[name] ?? name;
}

export function isClientCustomTool(name: string, options: Pick<EncodeResponseOptions, 'renamedTools' | 'customTools'>): boolean {
  return options.customTools.includes(clientToolName(name, options));
}

/** The freeform input hidden in `{"input": "..."}` arguments (or the arguments themselves when not shaped so). */
export function customToolInput(argumentsJson: string): string {
  const parsed = parseJsonQuietly(argumentsJson);
  if (isRecord(parsed) && typeof parsed.input === 'string') return parsed.input;
  return argumentsJson;
}
