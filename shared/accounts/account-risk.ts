import type { AccountKind } from '../config/provider-schema.ts';

/**
 * The one home of what Switchyard tells a person before they sign in with a subscription account: what the vendor
 * says about use through third-party tools and what can happen to the account. The terminal (`switchyard accounts
 * add`) prints it and asks to confirm; the dashboard's sign-in dialog shows the same text. Sources are public and
 * listed in docs/accounts.md.
 */
export interface AccountRisk {
  kind: AccountKind;
  /** The product the person signs in to, for headings. */
  product: string;
  /** Short paragraphs, plain text. */
  paragraphs: readonly string[];
  /** What confirming means, as a yes/no question. */
  question: string;
}

const risks: Record<AccountKind, AccountRisk> = {
  copilot: {
    kind: 'copilot',
    product: 'GitHub Copilot',
    paragraphs: [
      'Switchyard talks to Copilot the way the Copilot editor plugins do. GitHub does not document or support this use: it is reverse-engineered from public open-source clients and can stop working at any time.',
      'GitHub\'s abuse detection may flag "excessive automated" use of Copilot. That can lead to a warning, a temporary block of Copilot, or a suspension of your Copilot access. Requests you send through Switchyard count against your plan\'s premium-request allowance like requests from your editor.',
      'Only continue with a GitHub account whose Copilot subscription you are willing to risk, and keep the volume to what you would do by hand.',
    ],
    question: 'Sign in with GitHub Copilot anyway?',
  },
  codex: {
    kind: 'codex',
    product: 'ChatGPT (Codex)',
    paragraphs: [
      'Switchyard signs in the way the open-source Codex CLI does and sends your requests to the ChatGPT Codex backend, which OpenAI built for its own Codex clients. OpenAI has not published a clear policy on using a ChatGPT subscription through third-party tools; public reports conflict.',
      'OpenAI may limit, rate-limit or block this use, or act on the account, without notice. Requests count against your ChatGPT plan\'s Codex usage windows exactly like requests from the Codex CLI.',
      'Switchyard uses its own sign-in: it never reuses the Codex CLI\'s tokens (~/.codex/auth.json), so signing in here does not sign the CLI out.',
    ],
    question: 'Sign in with ChatGPT anyway?',
  },
  kiro: {
    kind: 'kiro',
    product: 'Kiro (AWS Builder ID / IAM Identity Center)',
    paragraphs: [
      "Switchyard signs in the way the Kiro IDE does (AWS SSO OIDC with AWS Builder ID or your organisation's IAM Identity Center) and sends your requests to the CodeWhisperer service Kiro uses. AWS and Kiro do not document this service for other software, and whether Kiro's terms allow using a Kiro plan through third-party tools is unconfirmed: we found no statement either way.",
      'AWS may limit or block this use, or act on the account, without notice, and the service can change at any time. Requests you send through Switchyard use your Kiro plan\'s credits exactly like requests from the IDE.',
      'With an IAM Identity Center account, your organisation\'s administrators see these sign-ins and may have rules about them; ask them first.',
    ],
    question: 'Sign in with Kiro anyway?',
  },
  'gemini-cli': {
    kind: 'gemini-cli',
    product: 'Gemini Code Assist (Gemini CLI sign-in)',
    paragraphs: [
      "Google's Gemini CLI documentation says that using Gemini CLI's Google sign-in from third-party software is a direct violation of its terms and may lead to the account being suspended. Switchyard is such third-party software: it signs in with Gemini CLI's public OAuth client and calls the same Code Assist backend.",
      'Google ended the "Login with Google" tier for individual accounts (including Google AI Pro / Ultra) on 18 June 2026. What remains is Gemini Code Assist Standard or Enterprise, tied to a Google Cloud project your organisation pays for; an individual account will most likely be refused.',
      'Only continue with an account and a Cloud project whose loss or suspension you can accept, preferably with your organisation\'s own OAuth client (provider setting oauth.clientId). A Gemini API key (provider type gemini) carries none of this risk.',
    ],
    question: 'Sign in with Google for Gemini Code Assist anyway?',
  },
};

/** Subscriptions Switchyard deliberately does not offer, and why (shown beside the sign-in choices). */
export const notOffered: ReadonlyArray<{ product: string; reason: string }> = [
  {
    product: 'Claude Pro / Max',
    reason: "Anthropic's terms allow Claude subscription sign-ins only in Claude Code and Claude.ai, and Anthropic enforces it. Use an Anthropic API key instead.",
  },
  {
    product: 'Antigravity',
    reason: 'Google treats reuse of its coding-tool sign-ins by third-party software as a violation that may suspend the account, and other tools removed it after bans. Use a Gemini API key instead.',
  },
];

export function accountRisk(kind: AccountKind): AccountRisk {
  return risks[kind];
}

/** The risk statement as plain text, for the terminal. */
export function accountRiskText(kind: AccountKind): string {
  const risk = risks[kind];
  const notes = notOffered.map((entry) => `  - ${entry.product}: ${entry.reason}`);
  return [`Before you sign in with ${risk.product}:`, '', ...risk.paragraphs.flatMap((paragraph) => [paragraph, '']), 'Not offered on purpose:', ...notes].join('\n');
}
