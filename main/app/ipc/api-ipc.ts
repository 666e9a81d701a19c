import type { ApiChannel, ApiEvent, ApiEventPayload, ApiResponse } from '../../../shared/api-contract.ts';
import { apiChannels, checkArgs, checkEvent, checkResult, ipcChannelOf, ipcEventChannel } from '../../../shared/api-contract.ts';
import type { ElectronApi } from '../electron-api.ts';
import type { SenderEvent } from './trusted-sender.ts';

/** Runs one call and answers it: ControlService.dispatch (main/core/control), which validates again on its side. */
export type ApiDispatcher = <C extends ApiChannel>(channel: C, rawArgs: unknown) => Promise<ApiResponse<C>>;

export interface ApiIpcOptions {
  dispatch: ApiDispatcher;
  /** True when the event comes from the app's own window and page (trusted-sender.ts). */
  isTrusted(event: SenderEvent): boolean;
  /** For refusals and failures; never given argument values (they may hold pasted keys). */
  log(level: 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}

/**
 * Answers one API call: sender check, argument validation with the contract's zod schema (before anything else runs),
 * the call, then result validation (a strict result schema stops a secret that slipped into a view). Never throws:
 * every outcome is an ApiResponse, so Electron never wraps an internal error message into the renderer.
 */
export async function answerApiCall(channel: ApiChannel, event: SenderEvent, rawArgs: unknown[], options: ApiIpcOptions): Promise<ApiResponse<ApiChannel>> {
  if (!options.isTrusted(event)) {
    options.log('warn', 'api call refused: not from the app window', { channel, sender: event.sender.id, frame: event.senderFrame?.url });
    return { ok: false, error: { code: 'unauthorized', message: 'Only the Switchyard window may use this API.' } };
  }
  if (rawArgs.length > 1) return { ok: false, error: { code: 'invalid_arguments', message: `${channel}: expected one argument object` } };
  const args = checkArgs(channel, rawArgs[0]);
  if (!args.ok) return { ok: false, error: args.error };
  let response: ApiResponse<ApiChannel>;
  try {
    response = await options.dispatch(channel, rawArgs[0]);
  } catch (error) {
    options.log('error', 'api call failed', { channel, error: error instanceof Error ? error.message : String(error) });
    return { ok: false, error: { code: 'internal', message: `${channel} failed inside Switchyard; the log has the details.` } };
  }
  if (!response.ok) return response;
  const checked = checkResult(channel, response.result);
  if (!checked.ok) {
    options.log('error', 'api result refused by the contract', { channel, problem: checked.error.message });
    return { ok: false, error: { code: 'internal', message: `${channel} produced a result Switchyard will not send; the log has the details.` } };
  }
  return { ok: true, result: checked.value };
}

/** One ipcMain handler per contract channel, generated from the channel list. Returns a function removing them. */
export function registerApiHandlers(ipcMain: ElectronApi['ipcMain'], options: ApiIpcOptions): () => void {
  for (const channel of apiChannels) {
    ipcMain.handle(ipcChannelOf(channel), (event, ...rawArgs) => answerApiCall(channel, event, rawArgs, options));
  }
  return () => {
    for (const channel of apiChannels) ipcMain.removeHandler(ipcChannelOf(channel));
  };
}

export interface EventMessage {
  event: ApiEvent;
  payload: unknown;
}

/** Validates an event against the contract and hands `{ event, payload }` to `send` (the window's webContents). */
export function createEventPublisher(send: (channel: string, message: EventMessage) => void, log: ApiIpcOptions['log']) {
  return function publish<E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): void {
    const checked = checkEvent(event, payload);
    if (!checked.ok) {
      log('error', 'event refused by the contract', { event, problem: checked.error.message });
      return;
    }
    send(ipcEventChannel, { event, payload: checked.value });
  };
}
