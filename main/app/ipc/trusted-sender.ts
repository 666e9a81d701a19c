import { isAppUrl } from '../window/main-window.ts';

/** What an IPC event says about who sent it (Electron's IpcMainInvokeEvent, reduced to plain values). */
export interface SenderFacts {
  webContentsId: number;
  /** URL of the frame that sent the message; undefined when the frame is gone (navigated away, destroyed). */
  frameUrl: string | undefined;
  /** False for iframes: only the top-level page of the window may call. */
  topLevel: boolean;
}

export interface SenderEvent {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export function senderFacts(event: SenderEvent): SenderFacts {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frameUrl: frame?.url, topLevel: frame !== null && frame.parent === null };
}

/**
 * Main answers the API only to the app's own window, showing the app's own page, from its top-level frame. Anything
 * else (another window, a page that navigated elsewhere, an embedded frame, a frame already gone) is refused.
 */
export function isTrustedSender(facts: SenderFacts, windowWebContentsId: number | undefined): boolean {
  return windowWebContentsId !== undefined && facts.webContentsId === windowWebContentsId && facts.topLevel && facts.frameUrl !== undefined && isAppUrl(facts.frameUrl);
}
