import { parseJsonQuietly } from '../../formats/canonical/json-values.ts';

// What Code Assist answers when the person, not the request, must act (google-gemini/gemini-cli
// packages/core/src/utils/googleQuotaErrors.ts, code_assist/setup.ts): the one home of reading those answers and of
// the words that tell the person what to do. Used at sign-in (project discovery) and on every request.

export type CodeAssistProblemKind = 'validation' | 'project' | 'tier';

export interface CodeAssistProblem {
  kind: CodeAssistProblemKind;
  /** For the person: what happened and what to do. */
  message: string;
}

interface GoogleErrorDetail {
  '@type'?: string;
  reason?: string;
  domain?: string;
  metadata?: Record<string, string>;
  links?: Array<{ url?: string; description?: string }>;
}

interface GoogleError {
  code?: number;
  message?: string;
  status?: string;
  details?: GoogleErrorDetail[];
}

/** ErrorInfo reasons Google uses for a project that cannot be used (unknown, API off, no permission, no billing). */
const projectReasons = new Set(['SERVICE_DISABLED', 'CONSUMER_INVALID', 'USER_PROJECT_DENIED', 'BILLING_DISABLED', 'PROJECT_NOT_FOUND', 'RESOURCE_PROJECT_INVALID']);

export function googleErrorOf(body: string): GoogleError | undefined {
  const parsed = parseJsonQuietly(body);
  const document = (Array.isArray(parsed) ? parsed[0] : parsed) as { error?: GoogleError } | undefined;
  return typeof document?.error === 'object' && document.error !== null ? document.error : undefined;
}

export function validationMessage(link: string | undefined, description: string | undefined): string {
  const where = link ? `open ${link}` : 'open Gemini Code Assist in a browser signed in to this Google account';
  return `Google wants this account verified before it serves (VALIDATION_REQUIRED${description ? `: ${description.replace(/\.$/u, '')}` : ''}). ${where[0]!.toUpperCase()}${where.slice(1)} and follow the steps, then reset the account on its provider card (or sign in again).`;
}

const projectSteps =
  'Check the project id (the id such as my-project-123, not the project number), that the Gemini for Google Cloud API (cloudaicompanion.googleapis.com) is enabled in it and that this account may use it; then sign in again with that project: switchyard accounts add gemini-cli --project <id>.';

/** Code Assist refused the project (unknown, API off, no permission). */
export function projectMessage(project: string | undefined, detail: string): string {
  return `Code Assist refused ${project ? `the Google Cloud project "${project}"` : "this account's Google Cloud project"} (${detail}). ${projectSteps}`;
}

/** The account has no project and Code Assist assigns none: the person must name one. */
export function projectNeededMessage(detail: string): string {
  return `This account needs a Google Cloud project with Gemini Code Assist (${detail}). Sign in again and enter the project: switchyard accounts add gemini-cli --project <id> (or the project field of the sign-in dialog). ${projectSteps.split('; then')[0]}.`;
}

/** A Code Assist error answer that needs the person to act, or undefined for any other error. */
export function codeAssistProblem(status: number, body: string, project: string | undefined): CodeAssistProblem | undefined {
  const error = googleErrorOf(body);
  if (!error) return undefined;
  const details = Array.isArray(error.details) ? error.details : [];
  const info = details.find((detail) => (detail['@type'] ?? '').endsWith('google.rpc.ErrorInfo'));
  const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
  if (info?.reason === 'VALIDATION_REQUIRED') {
    const help = details.find((detail) => (detail['@type'] ?? '').endsWith('google.rpc.Help'))?.links?.[0];
    return { kind: 'validation', message: validationMessage(help?.url ?? info.metadata?.validation_link, help?.description) };
  }
  if (status === 403 || status === 400 || status === 404) {
    if ((info?.reason && projectReasons.has(info.reason)) || /\bproject\b/i.test(message)) return { kind: 'project', message: projectMessage(project, message) };
  }
  return undefined;
}

export interface IneligibleTier {
  reasonCode?: string;
  reasonMessage?: string;
  tierId?: string;
  validationUrl?: string;
}

/** loadCodeAssist's ineligibleTiers, said plainly: why this account gets no tier, and what the person can do. */
export function ineligibleMessage(tiers: readonly IneligibleTier[]): CodeAssistProblem {
  const validation = tiers.find((tier) => tier.reasonCode === 'VALIDATION_REQUIRED');
  if (validation) return { kind: 'validation', message: validationMessage(validation.validationUrl, validation.reasonMessage) };
  const reasons = tiers.map((tier) => tier.reasonMessage ?? tier.reasonCode ?? 'not eligible').join('; ');
  return {
    kind: 'tier',
    message: `Google offers this account no Gemini Code Assist tier (${reasons}). Individual Google sign-ins ended on 18 June 2026; use an account with Gemini Code Assist Standard or Enterprise and its Cloud project (--project <id>), or a Gemini API key instead.`,
  };
}
