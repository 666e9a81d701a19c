/**
 * Where the in-process engine is in its life, as the tray and the window see it. `failed` carries a message a
 * person can act on ("Port 8787 is already in use ..."), never a stack trace.
 */
export type ServingStatus =
  | { state: 'starting' }
  | { state: 'serving'; url: string }
  | { state: 'pausing' }
  | { state: 'paused' }
  | { state: 'stopping' }
  | { state: 'failed'; message: string };

export type ServingState = ServingStatus['state'];
