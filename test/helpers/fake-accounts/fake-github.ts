import { randomBytes } from 'node:crypto';
import type { JsonServer, VendorRequest, VendorReply } from './json-server.ts';
import { startJsonServer } from './json-server.ts';

/** What the fake does with the next polls of a device code, in order; after the script it keeps the last entry. */
export type DeviceStep = 'pending' | 'slow_down' | 'approve' | 'deny' | 'expire';

export interface FakeGithubUser {
  id: number;
  login: string;
}

export interface FakeGithubOptions {
  /** The Copilot API origin the token exchange names in endpoints.api. */
  copilotApi: string;
  clientId?: string;
  /** Copilot token lifetime and refresh_in, seconds. */
  tokenLifetimeSeconds?: number;
  refreshInSeconds?: number;
  /** The interval the device code asks for, seconds (0 in tests: the flow's own floor applies). */
  intervalSeconds?: number;
  /** Where issued Copilot tokens are recorded; pass the same array as the Copilot API fake's `keys`. */
  copilotTokens?: string[];
}

export interface FakeGithub extends JsonServer {
  /** The steps each new device code goes through. Default: one pending, then approve. */
  deviceSteps: DeviceStep[];
  /** The user the next approved device code signs in. */
  user: FakeGithubUser;
  /** Copilot tokens issued, newest last; the Copilot API fake accepts these. */
  copilotTokens: string[];
  /** GitHub OAuth tokens issued. */
  githubTokens: Map<string, FakeGithubUser>;
  revoke(githubToken: string): void;
  /** premium_interactions of copilot_internal/user. */
  premium: { entitlement: number; remaining: number; unlimited: boolean; overage_permitted: boolean };
  tokenExchanges: number;
  /** Seconds from now the next Copilot token expires in (overrides tokenLifetimeSeconds once). */
  nextTokenLifetimeSeconds?: number;
}

const editorHeaders = ['editor-version', 'editor-plugin-version', 'user-agent'];

/**
 * GitHub as the Copilot sign-in sees it (github.com and api.github.com on one server; tests point both host names at
 * it with network.hostOverrides): the device flow with GitHub's 2xx error bodies, /user, the Copilot token exchange
 * and the premium-request quota. Editor headers and the client id are checked; anything else is refused.
 */
export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const clientId = options.clientId ?? 'Iv1.b507a08c87ecfe98';
  const codes = new Map<string, { userCode: string; polls: number; user: FakeGithubUser; issued?: string }>();
  const revoked = new Set<string>();
  const fake = {} as FakeGithub;
  const route = (request: VendorRequest): VendorReply => {
    const auth = request.headers.authorization ?? '';
    if (request.path === '/login/device/code' && request.method === 'POST') {
      if (request.body.client_id !== clientId) return { status: 200, body: { error: 'incorrect_client_credentials', error_description: 'unknown client' } };
      const deviceCode = randomBytes(10).toString('hex');
      const userCode = `${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
      codes.set(deviceCode, { userCode, polls: 0, user: fake.user });
      return { status: 200, body: { device_code: deviceCode, user_code: userCode, verification_uri: 'https://github.com/login/device', expires_in: 900, interval: options.intervalSeconds ?? 0 } };
    }
    if (request.path === '/login/oauth/access_token' && request.method === 'POST') {
      const entry = codes.get(String(request.body.device_code));
      if (request.body.grant_type !== 'urn:ietf:params:oauth:grant-type:device_code' || request.body.client_id !== clientId || !entry) {
        return { status: 200, body: { error: 'bad_verification_code', error_description: 'The device code is not valid.' } };
      }
      const step = fake.deviceSteps[Math.min(entry.polls, fake.deviceSteps.length - 1)] ?? 'approve';
      entry.polls += 1;
      // GitHub answers every state of the poll with HTTP 200, errors included.
      if (step === 'pending') return { status: 200, body: { error: 'authorization_pending', error_description: 'The authorization request is still pending.' } };
      if (step === 'slow_down') return { status: 200, body: { error: 'slow_down', error_description: 'Too many requests.', interval: 5 } };
      if (step === 'deny') return { status: 200, body: { error: 'access_denied', error_description: 'The user has denied your application access.' } };
      if (step === 'expire') return { status: 200, body: { error: 'expired_token', error_description: 'This device code has expired.' } };
      entry.issued ??= `gho_fake_${randomBytes(12).toString('hex')}`;
      fake.githubTokens.set(entry.issued, entry.user);
      return { status: 200, body: { access_token: entry.issued, token_type: 'bearer', scope: 'read:user' } };
    }
    // api.github.com: the GitHub token as `authorization: token <t>`.
    const githubToken = auth.startsWith('token ') ? auth.slice('token '.length) : undefined;
    const user = githubToken && !revoked.has(githubToken) ? fake.githubTokens.get(githubToken) : undefined;
    if (!user) return { status: 401, body: { message: 'Bad credentials' } };
    if (request.path === '/user') return { status: 200, body: { login: user.login, id: user.id } };
    if (request.path === '/copilot_internal/v2/token') {
      if (editorHeaders.some((name) => !request.headers[name])) return { status: 400, body: { message: 'missing editor headers' } };
      fake.tokenExchanges += 1;
      const lifetime = fake.nextTokenLifetimeSeconds ?? options.tokenLifetimeSeconds ?? 1800;
      fake.nextTokenLifetimeSeconds = undefined;
      const token = `tid=fake-copilot-${randomBytes(8).toString('hex')};exp=${lifetime}`;
      fake.copilotTokens.push(token);
      const now = Math.floor(Date.now() / 1000);
      return { status: 200, body: { token, expires_at: now + lifetime, refresh_in: options.refreshInSeconds ?? Math.max(1, lifetime - 300), sku: 'copilot_pro', endpoints: { api: options.copilotApi } } };
    }
    if (request.path === '/copilot_internal/user') {
      return {
        status: 200,
        body: {
          copilot_plan: 'individual_pro',
          quota_reset_date: '2026-12-31T00:00:00Z',
          quota_snapshots: { premium_interactions: { ...fake.premium, percent_remaining: fake.premium.entitlement ? (fake.premium.remaining / fake.premium.entitlement) * 100 : 100 } },
        },
      };
    }
    return { status: 404, body: { message: 'Not Found' } };
  };
  const server = await startJsonServer(route);
  return Object.assign(fake, server, {
    deviceSteps: ['pending', 'approve'] as DeviceStep[],
    user: { id: 1001, login: 'octo-fake' },
    copilotTokens: options.copilotTokens ?? [],
    githubTokens: new Map<string, FakeGithubUser>(),
    revoke: (token: string) => void revoked.add(token),
    premium: { entitlement: 300, remaining: 120, unlimited: false, overage_permitted: false },
    tokenExchanges: 0,
  });
}
