import { randomBytes } from 'node:crypto';
import type { JsonServer, VendorReply, VendorRequest } from './json-server.ts';
import { startJsonServer } from './json-server.ts';

export interface FakeAwsUser {
  email: string;
  userId: string;
}

export interface FakeAwsOidc extends JsonServer {
  /** Device codes waiting for the person; approve one to sign in as `user`. */
  approve(userCode: string, user: FakeAwsUser): void;
  deny(userCode: string): void;
  /** The next polls answer slow_down this many times first. */
  slowDowns: number;
  registerCount: number;
  refreshCount: number;
  refreshDelayMs: number;
  /** Lifetime of registered clients and of access tokens, seconds. */
  clientLifetimeSeconds: number;
  accessLifetimeSeconds: number;
  /** Who an access token belongs to, while it is valid (the CodeWhisperer fake asks). */
  userOf(accessToken: string): FakeAwsUser | undefined;
  /** Revokes every refresh token of a user (refresh answers InvalidGrantException). */
  revoke(userId: string): void;
  /** Start URLs device authorizations were started for, in order. */
  startUrls: string[];
  accessTokens: string[];
}

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

/** An AWS JSON error: snake_case `error` in the body and the exception name in x-amzn-errortype, as AWS answers. */
function awsError(status: number, exception: string, error: string, description: string): VendorReply {
  return { status, body: { error, error_description: description }, headers: { 'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazonaws.ssooidc/` } };
}

/**
 * AWS SSO OIDC (oidc.{region}.amazonaws.com) as Kiro's sign-in sees it: RegisterClient for public clients with the
 * CodeWhisperer scopes, StartDeviceAuthorization, CreateToken for the device grant (pending, slow_down, denied,
 * expired) and for refresh_token grants (rotating, revocable) — camelCase JSON throughout.
 */
export async function startFakeAwsOidc(): Promise<FakeAwsOidc> {
  const clients = new Map<string, { secret: string; expiresAt: number }>();
  const devices = new Map<string, { userCode: string; clientId: string; user?: FakeAwsUser; denied?: boolean; expiresAt: number }>();
  const refreshTokens = new Map<string, { user: FakeAwsUser; clientId: string }>();
  const accessTokens = new Map<string, { user: FakeAwsUser; expiresAt: number }>();
  const revoked = new Set<string>();
  const fake = {} as FakeAwsOidc;

  const issue = (user: FakeAwsUser, clientId: string) => {
    const accessToken = `aoa-fake-${randomBytes(12).toString('hex')}`;
    const refreshToken = `aor-fake-${randomBytes(12).toString('hex')}`;
    accessTokens.set(accessToken, { user, expiresAt: Date.now() + fake.accessLifetimeSeconds * 1000 });
    refreshTokens.set(refreshToken, { user, clientId });
    fake.accessTokens.push(accessToken);
    return { accessToken, refreshToken, expiresIn: fake.accessLifetimeSeconds, tokenType: 'Bearer' };
  };
  const knownClient = (body: Record<string, unknown>) => {
    const client = clients.get(String(body.clientId));
    return client !== undefined && client.secret === body.clientSecret && client.expiresAt > Date.now();
  };

  const route = async (request: VendorRequest): Promise<VendorReply> => {
    const body = request.body;
    if (request.method !== 'POST' || !request.contentType.includes('application/json')) return awsError(400, 'InvalidRequestException', 'invalid_request', 'JSON POST expected');
    if (request.path === '/client/register') {
      const scopes = Array.isArray(body.scopes) ? body.scopes : [];
      if (body.clientType !== 'public' || typeof body.clientName !== 'string' || !scopes.includes('codewhisperer:conversations')) return awsError(400, 'InvalidClientMetadataException', 'invalid_client_metadata', 'bad registration');
      fake.registerCount += 1;
      const clientId = `fake-client-${randomBytes(6).toString('hex')}`;
      const secret = `fake-client-secret-${randomBytes(12).toString('hex')}`;
      const expiresAt = Date.now() + fake.clientLifetimeSeconds * 1000;
      clients.set(clientId, { secret, expiresAt });
      return { status: 200, body: { clientId, clientSecret: secret, clientIdIssuedAt: Math.floor(Date.now() / 1000), clientSecretExpiresAt: Math.floor(expiresAt / 1000) } };
    }
    if (request.path === '/device_authorization') {
      if (!knownClient(body)) return awsError(400, 'InvalidClientException', 'invalid_client', 'unknown or expired client');
      if (typeof body.startUrl !== 'string' || !body.startUrl.startsWith('https://')) return awsError(400, 'InvalidRequestException', 'invalid_request', 'startUrl is required');
      fake.startUrls.push(body.startUrl);
      const deviceCode = `fake-device-${randomBytes(8).toString('hex')}`;
      const userCode = `${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
      devices.set(deviceCode, { userCode, clientId: String(body.clientId), expiresAt: Date.now() + 600_000 });
      return { status: 200, body: { deviceCode, userCode, verificationUri: `${server.url}/device`, verificationUriComplete: `${server.url}/device?user_code=${userCode}`, expiresIn: 600, interval: 0 } };
    }
    if (request.path === '/token') {
      if (!knownClient(body)) return awsError(400, 'InvalidClientException', 'invalid_client', 'unknown or expired client');
      if (body.grantType === deviceGrant) {
        const device = devices.get(String(body.deviceCode));
        if (!device || device.clientId !== body.clientId) return awsError(400, 'InvalidGrantException', 'invalid_grant', 'unknown device code');
        if (device.expiresAt < Date.now()) return awsError(400, 'ExpiredTokenException', 'expired_token', 'the device code expired');
        if (fake.slowDowns > 0) {
          fake.slowDowns -= 1;
          return awsError(400, 'SlowDownException', 'slow_down', 'polling too fast');
        }
        if (device.denied) return awsError(400, 'AccessDeniedException', 'access_denied', 'the person denied the request');
        if (!device.user) return awsError(400, 'AuthorizationPendingException', 'authorization_pending', 'not approved yet');
        devices.delete(String(body.deviceCode));
        return { status: 200, body: issue(device.user, device.clientId) };
      }
      if (body.grantType === 'refresh_token') {
        fake.refreshCount += 1;
        if (fake.refreshDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.refreshDelayMs));
        const entry = refreshTokens.get(String(body.refreshToken));
        if (!entry || entry.clientId !== body.clientId || revoked.has(entry.user.userId)) return awsError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
        refreshTokens.delete(String(body.refreshToken));
        return { status: 200, body: issue(entry.user, entry.clientId) };
      }
      return awsError(400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', 'grant type not supported');
    }
    return { status: 404, body: { message: 'not found' } };
  };

  const server = await startJsonServer(route);
  return Object.assign(fake, server, {
    slowDowns: 0,
    registerCount: 0,
    refreshCount: 0,
    refreshDelayMs: 0,
    clientLifetimeSeconds: 90 * 24 * 3600,
    accessLifetimeSeconds: 3600,
    startUrls: [] as string[],
    accessTokens: [] as string[],
    approve(userCode: string, user: FakeAwsUser) {
      for (const device of devices.values()) if (device.userCode === userCode) device.user = user;
    },
    deny(userCode: string) {
      for (const device of devices.values()) if (device.userCode === userCode) device.denied = true;
    },
    userOf(accessToken: string) {
      const entry = accessTokens.get(accessToken);
      return entry && entry.expiresAt > Date.now() ? entry.user : undefined;
    },
    revoke: (userId: string) => void revoked.add(userId),
  });
}
