import type { AccountKind } from '../../../shared/config/provider-schema.ts';
import type { AccountKindDriver } from './account-kind.ts';
import { codexDriver } from './codex/codex-driver.ts';
import { copilotDriver } from './copilot/copilot-driver.ts';
import { kiroDriver } from './kiro/kiro-driver.ts';
import { geminiCliDriver } from './gemini-cli/gemini-cli-driver.ts';

/** The registry of account kinds. Adding one = a folder here, a provider adapter, and a line below. */
export const accountKindDrivers: Record<AccountKind, AccountKindDriver> = {
  copilot: copilotDriver,
  codex: codexDriver,
  kiro: kiroDriver,
  'gemini-cli': geminiCliDriver,
};
