import type { SwitchyardConfigInput } from '../../../shared/config/config-schema.ts';
import type { Clock } from '../../../main/core/guard/clock.ts';
import { systemClock } from '../../../main/core/guard/clock.ts';
import { createExecutionGuard } from '../../../main/core/guard/execution-guard.ts';
import type { ExecutionGuard } from '../../../main/core/guard/guard-contract.ts';
import type { GuardEvent } from '../../../main/core/guard/guard-events.ts';
import type { ProviderSnapshot } from '../../../main/core/guard/guard-snapshot.ts';
import type { StepProbe } from '../../../main/core/pipeline/pipeline-deps.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { trackEngine } from './stop-after-each.ts';

export interface GuardedEngine {
  running: RunningEngine;
  guard: ExecutionGuard;
  events: GuardEvent[];
  provider(id: string): ProviderSnapshot;
  stop(): Promise<void>;
}

/**
 * The real engine on 127.0.0.1:0 with the real guard, on the given clock (the engine's own `now`, used by provider
 * adapters for reset times, follows the same clock). Jitter is fixed so backoff delays are predictable.
 */
export async function startGuardedEngine(
  config: SwitchyardConfigInput,
  options: { env: Record<string, string>; clock?: Clock; stepProbe?: StepProbe },
): Promise<GuardedEngine> {
  const clock = options.clock ?? systemClock;
  const events: GuardEvent[] = [];
  const guard = createExecutionGuard({ clock, random: () => 0.5, events: (event) => events.push(event) });
  const running = await startEngine(config, { env: options.env, guard, now: () => clock.now(), logLevel: 'warn', ...(options.stepProbe ? { stepProbe: options.stepProbe } : {}) });
  return {
    running,
    guard,
    events,
    provider(id) {
      const found = guard.snapshot().providers.find((provider) => provider.id === id);
      if (!found) throw new Error(`no provider ${id} in the guard snapshot`);
      return found;
    },
    stop: trackEngine(() => running.stop()),
  };
}

/** A JSON document from the wire; the tests' assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WireJson = Record<string, any>;

export interface ClientAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: WireJson | undefined;
}

/** One Anthropic Messages call from a client, as Claude Code would make it (x-api-key = the local client key). */
export async function askAnthropic(
  running: RunningEngine,
  model: string,
  options: { stream?: boolean; signal?: AbortSignal; content?: string; headers?: Record<string, string> } = {},
): Promise<ClientAnswer> {
  const response = await fetch(`${running.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': running.clientKey, 'anthropic-version': '2023-06-01', ...options.headers },
    body: JSON.stringify({ model, max_tokens: 64, stream: options.stream ?? false, messages: [{ role: 'user', content: options.content ?? 'hi' }] }),
    signal: options.signal,
  });
  return answer(response);
}

/** One OpenAI Chat Completions call. */
export async function askOpenai(running: RunningEngine, model: string, options: { content?: string } = {}): Promise<ClientAnswer> {
  const response = await fetch(`${running.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${running.clientKey}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: options.content ?? 'hi' }] }),
  });
  return answer(response);
}

/** One Gemini generateContent call (model in the path, as Gemini CLI sends it). */
export async function askGemini(running: RunningEngine, model: string): Promise<ClientAnswer> {
  const response = await fetch(`${running.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': running.clientKey },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
  return answer(response);
}

/** A client's view of a response: status, headers, the text and, when it parses, the JSON. */
export async function answer(response: Response): Promise<ClientAnswer> {
  const text = await response.text();
  let json: WireJson | undefined;
  try {
    json = JSON.parse(text) as WireJson;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Polls (real time, bounded) until `condition` holds. For waiting on I/O, never on the guard's clock. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
