import { randomUUID } from 'node:crypto';
import type { AccountRisk } from '../../../shared/accounts/account-risk.ts';
import { accountRisk } from '../../../shared/accounts/account-risk.ts';
import type { AccountKind } from '../../../shared/config/provider-schema.ts';
import type { SignInOptions, SignInPrompt } from './account-kind.ts';
import type { AccountPool, ProviderBinding } from './account-pool.ts';
import type { AccountRecord } from './account-record.ts';
import { SignInError } from './sign-in-error.ts';

export interface StartedFlow {
  flowId: string;
  /** What to show the person: the code and page, or the sign-in URL with the paste and ssh hints. */
  prompt: SignInPrompt;
}

export type FlowOutcome = { ok: true; record: AccountRecord; updated: boolean } | { ok: false; failure: SignInError['failure']; message: string };

interface Flow {
  kind: AccountKind;
  done: Promise<FlowOutcome>;
  cancel(): void;
  submitRedirectUrl?(url: string): void;
}

/**
 * Sign-ins in progress, for the control service (the dashboard's sign-in dialog, desktop and web mode alike): show
 * the risk, start a flow and show its prompt, wait for it, cancel it, or finish it with a pasted redirect URL.
 * A flow is forgotten once it settled and was waited for, or when it ends on its own.
 */
export class SignInFlows {
  readonly #pool: AccountPool;
  readonly #flows = new Map<string, Flow>();

  constructor(pool: AccountPool) {
    this.#pool = pool;
  }

  /** The text to show (and have confirmed) before a sign-in of this kind starts. */
  risk(kind: AccountKind): AccountRisk {
    return accountRisk(kind);
  }

  async start(kind: AccountKind, binding: ProviderBinding, options: SignInOptions = {}): Promise<StartedFlow> {
    const handle = await this.#pool.signIn(kind, binding, options);
    const flowId = randomUUID();
    const done = handle.done.then(
      ({ record, updated }): FlowOutcome => ({ ok: true, record, updated }),
      (error: unknown): FlowOutcome => ({
        ok: false,
        failure: error instanceof SignInError ? error.failure : 'vendor',
        message: error instanceof Error ? error.message : String(error),
      }),
    );
    // Forgotten when it ends, whether or not anyone waits (a closed dialog must not leak a listener).
    void done.then(() => setTimeout(() => this.#flows.delete(flowId), 60_000).unref());
    this.#flows.set(flowId, { kind, done, cancel: handle.cancel, ...(handle.submitRedirectUrl ? { submitRedirectUrl: handle.submitRedirectUrl } : {}) });
    return { flowId, prompt: handle.prompt };
  }

  /** Settles when the flow ends; an unknown flow is reported as expired. */
  async wait(flowId: string): Promise<FlowOutcome> {
    const flow = this.#flows.get(flowId);
    if (!flow) return { ok: false, failure: 'expired', message: 'This sign-in is no longer running; start again.' };
    const outcome = await flow.done;
    this.#flows.delete(flowId);
    return outcome;
  }

  cancel(flowId: string): boolean {
    const flow = this.#flows.get(flowId);
    flow?.cancel();
    return flow !== undefined;
  }

  /** The paste-the-redirect-URL fallback. False when the flow is unknown or not a browser flow. */
  submitRedirectUrl(flowId: string, url: string): boolean {
    const flow = this.#flows.get(flowId);
    if (!flow?.submitRedirectUrl) return false;
    flow.submitRedirectUrl(url);
    return true;
  }

  get running(): number {
    return this.#flows.size;
  }
}
