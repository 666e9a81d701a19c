import type { Clock } from '../../guard/clock.ts';
import { codeAssistProblem, ineligibleMessage, projectNeededMessage } from '../../providers/gemini-cli/code-assist-problems.ts';
import type { IneligibleTier } from '../../providers/gemini-cli/code-assist-problems.ts';
import { codeAssistBaseUrl } from '../../providers/gemini-cli/code-assist-endpoint.ts';
import type { KindContext } from '../account-kind.ts';
import { flowClock } from '../flow-clock.ts';
import { SignInError } from '../sign-in-error.ts';
import type { VendorAnswer } from '../vendor-http.ts';
import { callVendor } from '../vendor-http.ts';

// Which Google Cloud project an account serves with, as Gemini CLI finds it (google-gemini/gemini-cli
// packages/core/src/code_assist/setup.ts): loadCodeAssist tells the account's tier and project; an account with no
// tier yet is onboarded to its default tier (onboardUser), a long-running operation polled until done.

const clientMetadata = { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' };

interface Tier {
  id?: string;
  name?: string;
  isDefault?: boolean;
  userDefinedCloudaicompanionProject?: boolean;
}

interface LoadCodeAssistAnswer {
  currentTier?: Tier | null;
  allowedTiers?: Tier[];
  ineligibleTiers?: IneligibleTier[];
  cloudaicompanionProject?: string;
  paidTier?: Tier | null;
}

interface Operation {
  name?: string;
  done?: boolean;
  error?: { message?: string };
  response?: { cloudaicompanionProject?: { id?: string; name?: string } };
}

export interface CodeAssistSetup {
  project: string;
  /** The tier's name for people ("Gemini Code Assist Standard"), else its id. */
  tier: string;
}

export interface SetupOptions {
  /** The project the person entered; discovered when absent. */
  project?: string;
  /** Between polls of the onboarding operation (Gemini CLI waits 5 s). */
  pollIntervalMs?: number;
  /** Polls before giving up (the default 24 x 5 s is two minutes). */
  maxPolls?: number;
  clock?: Clock;
}

const freeTier = 'free-tier';

function refused(answer: VendorAnswer, project: string | undefined, step: string): SignInError {
  const problem = codeAssistProblem(answer.status, answer.text, project);
  if (problem) return new SignInError('vendor', `${problem.message} Nothing was stored.`);
  if (answer.status === 401) return new SignInError('vendor', `Code Assist did not accept the new sign-in (${step}: HTTP 401). Nothing was stored; try again.`);
  return new SignInError('vendor', `Code Assist's ${step} failed (HTTP ${answer.status}). Nothing was stored; try again later.`);
}

function call(context: KindContext, accessToken: string, path: string, json?: unknown): Promise<VendorAnswer> {
  return callVendor(
    context.http,
    { url: `${codeAssistBaseUrl}${path}`, method: json === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${accessToken}` }, ...(json === undefined ? {} : { json }), signal: context.signal },
    'cloudcode-pa.googleapis.com',
  );
}

function wait(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(delayMs, resolve));
}

/** The project (and tier) for a freshly signed-in account; a SignInError saying what to do when there is none. */
export async function setUpCodeAssist(context: KindContext, accessToken: string, options: SetupOptions = {}): Promise<CodeAssistSetup> {
  const entered = options.project?.trim() || undefined;
  if (entered && /^\d+$/.test(entered)) {
    throw new SignInError('vendor', `"${entered}" is a project number; Code Assist wants the project id (such as my-project-123, shown beside the number in the Cloud console). Nothing was stored.`);
  }
  const loaded = await call(context, accessToken, ':loadCodeAssist', { ...(entered ? { cloudaicompanionProject: entered } : {}), metadata: { ...clientMetadata, ...(entered ? { duetProject: entered } : {}) } });
  if (loaded.status !== 200) throw refused(loaded, entered, 'loadCodeAssist');
  const load = (loaded.body ?? {}) as LoadCodeAssistAnswer;
  const ineligible = Array.isArray(load.ineligibleTiers) ? load.ineligibleTiers : [];
  if (!load.currentTier && ineligible.some((tier) => tier.reasonCode === 'VALIDATION_REQUIRED')) throw new SignInError('vendor', `${ineligibleMessage(ineligible).message} Nothing was stored.`);

  const noProject = (): never => {
    if (ineligible.length > 0) throw new SignInError('vendor', `${ineligibleMessage(ineligible).message} Nothing was stored.`);
    throw new SignInError('vendor', `${projectNeededMessage('Code Assist did not assign one')} Nothing was stored.`);
  };

  if (load.currentTier) {
    const tier = load.paidTier?.name ?? load.currentTier.name ?? load.paidTier?.id ?? load.currentTier.id ?? 'standard-tier';
    const project = load.cloudaicompanionProject ?? entered;
    return project ? { project, tier } : noProject();
  }

  // No tier offered at all, only reasons why not: onboarding could not help.
  if ((load.allowedTiers ?? []).length === 0 && ineligible.length > 0) throw new SignInError('vendor', `${ineligibleMessage(ineligible).message} Nothing was stored.`);
  // No tier yet: onboard to the default one. The free tier takes no project (sending one is refused).
  const tier = (load.allowedTiers ?? []).find((candidate) => candidate.isDefault) ?? { id: 'legacy-tier', userDefinedCloudaicompanionProject: true };
  if (tier.userDefinedCloudaicompanionProject && !entered && ineligible.length === 0) {
    throw new SignInError('vendor', `${projectNeededMessage(`the ${tier.name ?? tier.id ?? 'offered'} tier runs in your own project`)} Nothing was stored.`);
  }
  const withProject = tier.id !== freeTier && entered !== undefined;
  const onboardBody = { tierId: tier.id ?? 'legacy-tier', ...(withProject ? { cloudaicompanionProject: entered } : {}), metadata: { ...clientMetadata, ...(withProject ? { duetProject: entered } : {}) } };
  let answer = await call(context, accessToken, ':onboardUser', onboardBody);
  const clock = options.clock ?? context.clock ?? flowClock;
  const maxPolls = options.maxPolls ?? 24;
  for (let polls = 0; ; polls += 1) {
    if (answer.status !== 200) throw refused(answer, entered, 'onboardUser');
    const operation = (answer.body ?? {}) as Operation;
    if (operation.error) throw new SignInError('vendor', `Code Assist could not set up this account (${operation.error.message ?? 'onboarding failed'}). Nothing was stored.`);
    if (operation.done) {
      const project = operation.response?.cloudaicompanionProject?.id ?? entered;
      return project ? { project, tier: tier.name ?? tier.id ?? 'legacy-tier' } : noProject();
    }
    if (!operation.name) throw new SignInError('vendor', 'Code Assist started setting up this account but gave no operation to follow. Nothing was stored; try again.');
    if (polls >= maxPolls) throw new SignInError('expired', `Code Assist was still setting up this account after ${polls} checks; nothing was stored. Try again in a few minutes.`);
    if (context.signal?.aborted) throw new SignInError('cancelled', 'The sign-in was cancelled. Nothing was stored.');
    await wait(clock, options.pollIntervalMs ?? 5000);
    answer = await call(context, accessToken, `/${operation.name}`);
  }
}
