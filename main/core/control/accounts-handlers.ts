import type { AccountChannel, ApiParsedArgs, ApiResult, SignInOutcome } from '../../../shared/api-contract.ts';
import { accountRisk, notOffered } from '../../../shared/accounts/account-risk.ts';
import { isAccountProviderType } from '../../../shared/config/provider-schema.ts';
import type { SignInBlocker, SignInOptions } from '../accounts/account-kind.ts';
import type { AccountEvents } from '../accounts/account-pool.ts';
import type { FlowOutcome, StartedFlow } from '../accounts/sign-in-flows.ts';
import { SignInError } from '../accounts/sign-in-error.ts';
import type { AccountRecordsSource } from './account-views.ts';
import { accountList, accountView } from './account-views.ts';
import { ControlError, notFound } from './control-error.ts';
import type { ControlService } from './control-service.ts';

/** What the account channels need of a running engine; main/core/engine.ts fits it. */
export interface AccountsEngine {
  readonly accounts?:
    | (AccountRecordsSource & {
        remove(accountId: string): Promise<unknown>;
        on<E extends keyof AccountEvents>(event: E, listener: (...args: AccountEvents[E]) => void): unknown;
        off<E extends keyof AccountEvents>(event: E, listener: (...args: AccountEvents[E]) => void): unknown;
      })
    | undefined;
  readonly signIns?: { wait(flowId: string): Promise<FlowOutcome>; cancel(flowId: string): boolean; submitRedirectUrl(flowId: string, url: string): boolean } | undefined;
  startSignIn?(providerId: string, options?: SignInOptions): Promise<StartedFlow>;
  /** What stops a provider's sign-in before it starts (gemini-cli without a client secret). */
  signInBlocker?(providerId: string): SignInBlocker | undefined;
}

type AccountHandlers = { [C in AccountChannel]: (args: ApiParsedArgs<C>) => Promise<ApiResult<C>> };

/** A settled flow's outcome stays readable this long, so a dialog that polled late still learns how it ended. */
const keepOutcomeMs = 10 * 60_000;

/**
 * The account channels (shared/api-contract-accounts.ts) against the engine's account pool and sign-in flows. Every
 * flow is waited for here from the moment it starts, so its end is pushed as an `accounts.signIn` event and any
 * number of `accounts.signIn.wait` calls (each bounded, so no proxy cuts a long request) see the same outcome.
 */
export function createAccountHandlers(control: ControlService): AccountHandlers {
  const outcomes = new Map<string, Promise<SignInOutcome>>();

  function accountsEngine() {
    const engine = control.options.engine();
    if (!engine) throw new ControlError('unavailable', 'Switchyard is not serving right now; start it to sign in or manage accounts.');
    if (!engine.accounts || !engine.signIns || !engine.startSignIn) throw new ControlError('unavailable', 'This Switchyard keeps no accounts (it runs without a data directory).');
    return { engine, accounts: engine.accounts, signIns: engine.signIns, startSignIn: engine.startSignIn.bind(engine) };
  }

  function follow(flowId: string, providerId: string): void {
    const { accounts, signIns } = accountsEngine();
    const outcome = signIns.wait(flowId).then((ended): SignInOutcome => {
      if (!ended.ok) return { flowId, state: 'failed', failure: ended.failure, message: ended.message };
      const record = accounts.records(providerId).find((candidate) => candidate.id === ended.record.id) ?? ended.record;
      return { flowId, state: 'signed-in', account: accountView(record, accounts.standing(record.id)), updated: ended.updated };
    });
    outcomes.set(flowId, outcome);
    void outcome.then((ended) => {
      control.emit('accounts.signIn', ended);
      if (ended.state === 'signed-in') control.emit('config.changed', { at: control.now() });
      setTimeout(() => outcomes.delete(flowId), keepOutcomeMs).unref();
    });
  }

  return {
    'accounts.risk': async ({ kind, providerId }) => {
      const blocker = providerId ? control.options.engine()?.signInBlocker?.(providerId) : undefined;
      return { ...accountRisk(kind), paragraphs: [...accountRisk(kind).paragraphs], notOffered: notOffered.map((entry) => ({ ...entry })), blocker: blocker ? { title: blocker.title, message: blocker.message } : null };
    },

    'accounts.signIn.start': async ({ providerId, device, startUrl, region, project }) => {
      const { startSignIn } = accountsEngine();
      const provider = (await control.servingConfig()).providers.find((candidate) => candidate.id === providerId);
      if (!provider) throw notFound(`There is no provider "${providerId}".`);
      if (!isAccountProviderType(provider.type)) throw new ControlError('invalid_arguments', `${providerId} is a ${provider.type} provider: it takes API keys, not signed-in accounts.`);
      let started: StartedFlow;
      try {
        started = await startSignIn(providerId, { ...(device ? { device: true } : {}), ...(startUrl ? { startUrl } : {}), ...(region ? { region } : {}), ...(project ? { project } : {}) });
      } catch (error) {
        // A start URL or region the person typed wrong is theirs to fix, not the service being down.
        if (error instanceof SignInError) throw new ControlError('invalid_arguments', error.message);
        throw new ControlError('unavailable', `The sign-in could not start: ${(error as Error).message}`);
      }
      follow(started.flowId, providerId);
      return { flowId: started.flowId, providerId, prompt: started.prompt };
    },

    'accounts.signIn.wait': async ({ flowId, waitMs }) => {
      const outcome = outcomes.get(flowId);
      if (!outcome) return { flowId, state: 'failed', failure: 'expired', message: 'This sign-in is no longer running; start again.' };
      let timer: NodeJS.Timeout | undefined;
      const pending = new Promise<SignInOutcome>((resolve) => {
        timer = setTimeout(() => resolve({ flowId, state: 'pending' }), waitMs);
      });
      try {
        return await Promise.race([outcome, pending]);
      } finally {
        clearTimeout(timer);
      }
    },

    'accounts.signIn.cancel': async ({ flowId }) => ({ cancelled: outcomes.has(flowId) && accountsEngine().signIns.cancel(flowId) }),

    'accounts.signIn.submitRedirect': async ({ flowId, url }) => {
      if (!outcomes.has(flowId)) throw notFound('This sign-in is no longer running; start again.');
      if (!accountsEngine().signIns.submitRedirectUrl(flowId, url)) throw new ControlError('invalid_arguments', 'This sign-in does not take a pasted address or code (it is a device-code sign-in).');
      return { accepted: true };
    },

    'accounts.list': async () => accountList(accountsEngine().accounts),

    'accounts.remove': async ({ accountId }) => {
      const { accounts } = accountsEngine();
      if (!accounts.records().some((record) => record.id === accountId)) throw notFound(`There is no account "${accountId}".`);
      await accounts.remove(accountId);
      control.emit('config.changed', { at: control.now() });
      return accountList(accounts);
    },
  };
}

/** Forwards the engine's account events to the control service's listeners (dashboard, tray); returns the unsubscribe. */
export function watchAccountEvents(control: Pick<ControlService, 'emit' | 'now'>, engine: AccountsEngine): () => void {
  const accounts = engine.accounts;
  if (!accounts) return () => {};
  const needsSignIn = (event: AccountEvents['needs-sign-in'][0]) => {
    control.emit('accounts.needsSignIn', { accountId: event.accountId, providerId: event.providerId, label: event.label, reason: event.reason });
  };
  // Added in a terminal, removed, signed in again: the provider cards list their accounts again.
  const changed = () => control.emit('config.changed', { at: control.now() });
  accounts.on('needs-sign-in', needsSignIn);
  accounts.on('changed', changed);
  return () => {
    accounts.off('needs-sign-in', needsSignIn);
    accounts.off('changed', changed);
  };
}
