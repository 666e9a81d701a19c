import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { geminiResponse, geminiStream } from '../fake-upstream/gemini-replies.ts';
import type { FakeReply } from '../fake-upstream/reply.ts';
import type { FakeGoogleUser } from './fake-google-oauth.ts';

type Ok = Extract<FakeReply, { kind: 'text' | 'tool' }>;
type Json = Record<string, unknown>;

/** How Code Assist sees one Google account. */
export interface FakeCodeAssistUser {
  /** The tier already set up; undefined means the account must be onboarded. */
  currentTier?: 'standard-tier' | 'free-tier' | 'legacy-tier';
  /** The project Code Assist assigns (loadCodeAssist, or the onboarding operation's answer). */
  assignedProject?: string;
  /** Projects this account may use (the assigned one counts). */
  projects: string[];
  /** How many polls of the onboarding operation answer `done: false` first. */
  onboardingPolls?: number;
  /** Code Assist answers VALIDATION_REQUIRED (loadCodeAssist and requests). */
  validationRequired?: boolean;
  /** loadCodeAssist answers with these ineligible tiers and no allowed one. */
  ineligible?: Array<{ reasonCode: string; reasonMessage: string }>;
}

export interface CodeAssistRequest {
  method: string;
  /** `loadCodeAssist`, `generateContent`, `operations/…`. */
  rpc: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  json: Json | undefined;
  user: FakeGoogleUser | undefined;
}

export interface FakeCodeAssist {
  /** The origin, for network.hostOverrides of cloudcode-pa.googleapis.com. */
  url: string;
  requests: CodeAssistRequest[];
  /** By Google user id. */
  users: Map<string, FakeCodeAssistUser>;
  /** Projects whose quota is spent: requests answer 429 QUOTA_EXHAUSTED. */
  exhaustedProjects: Set<string>;
  /** The next N requests answer 429 RATE_LIMIT_EXCEEDED with a RetryInfo delay. */
  rateLimitNext: number;
  close(): Promise<void>;
}

const domain = 'cloudcode-pa.googleapis.com';
const googleError = (code: number, status: string, message: string, details: unknown[] = []) => ({ error: { code, message, status, details } });

function validationError() {
  return googleError(403, 'PERMISSION_DENIED', 'Verify your account to continue.', [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'VALIDATION_REQUIRED', domain, metadata: { validation_link: 'https://accounts.google.com/signin/continue?fake=1' } },
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Verify your account', url: 'https://accounts.google.com/signin/continue?fake=1' }] },
  ]);
}

/** What the model answers: a tool result is echoed, tools get a call, anything else gets the default text. */
function replyFor(request: Json): Ok {
  const contents = (Array.isArray(request.contents) ? request.contents : []) as Array<{ parts?: Array<{ functionResponse?: { response?: { output?: unknown } } }> }>;
  const result = contents.at(-1)?.parts?.find((part) => part.functionResponse)?.functionResponse;
  if (result) return { kind: 'text', text: `The tool said: ${String(result.response?.output)}`, chunks: 3 };
  if (Array.isArray(request.tools) && request.tools.length > 0) return { kind: 'tool', text: 'Checking the weather.', calls: [{ name: 'get_weather', input: { city: 'Paris' } }] };
  return { kind: 'text', text: 'Hello from the fake upstream.', chunks: 4 };
}

/**
 * Gemini CLI's Code Assist backend (cloudcode-pa.googleapis.com/v1internal) on 127.0.0.1: loadCodeAssist,
 * onboardUser with a long-running operation that finishes after N polls, generateContent / streamGenerateContent
 * (SSE) / countTokens in the {model, project, request} envelope with answers wrapped in {response}, retrieveUserQuota,
 * and the errors that need the person: VALIDATION_REQUIRED, a project the account may not use, spent quota.
 */
export async function startFakeCodeAssist(accessTokens: Map<string, FakeGoogleUser>): Promise<FakeCodeAssist> {
  const requests: CodeAssistRequest[] = [];
  const users = new Map<string, FakeCodeAssistUser>();
  const operations = new Map<string, { user: FakeCodeAssistUser; polls: number }>();
  const fake: FakeCodeAssist = { url: '', requests, users, exhaustedProjects: new Set(), rateLimitNext: 0, close: async () => {} };
  let counter = 0;

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const route = (request: CodeAssistRequest, response: ServerResponse) => {
    if (!request.user) return send(response, 401, googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
    const account = users.get(request.user.id) ?? { projects: [] };
    const body = request.json ?? {};
    if (request.rpc === 'loadCodeAssist') {
      if (account.validationRequired) return send(response, 200, { ineligibleTiers: [{ reasonCode: 'VALIDATION_REQUIRED', reasonMessage: 'Verify your account to continue.', validationUrl: 'https://accounts.google.com/signin/continue?fake=1' }] });
      if (account.ineligible) return send(response, 200, { ineligibleTiers: account.ineligible });
      const asked = typeof body.cloudaicompanionProject === 'string' ? body.cloudaicompanionProject : undefined;
      if (asked && !account.projects.includes(asked)) return send(response, 403, googleError(403, 'PERMISSION_DENIED', `Permission denied on resource project ${asked}.`, [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'USER_PROJECT_DENIED', domain: 'googleapis.com' }]));
      if (account.currentTier) return send(response, 200, { currentTier: { id: account.currentTier, name: 'Gemini Code Assist Standard' }, ...(account.assignedProject ? { cloudaicompanionProject: account.assignedProject } : {}) });
      return send(response, 200, { allowedTiers: [{ id: 'standard-tier', name: 'Gemini Code Assist Standard', isDefault: true, userDefinedCloudaicompanionProject: !account.assignedProject }] });
    }
    if (request.rpc === 'onboardUser') {
      const name = `operations/onboard-fake-${++counter}`;
      operations.set(name, { user: account, polls: 0 });
      return send(response, 200, { name, done: false });
    }
    if (request.rpc.startsWith('operations/') && request.method === 'GET') {
      const operation = operations.get(request.rpc);
      if (!operation) return send(response, 404, googleError(404, 'NOT_FOUND', 'no such operation'));
      operation.polls += 1;
      if (operation.polls <= (operation.user.onboardingPolls ?? 0)) return send(response, 200, { name: request.rpc, done: false });
      operation.user.currentTier = 'standard-tier';
      return send(response, 200, { name: request.rpc, done: true, response: { cloudaicompanionProject: { id: operation.user.assignedProject, name: 'Fake project' } } });
    }
    if (request.rpc === 'retrieveUserQuota') {
      const spent = fake.exhaustedProjects.has(String(body.project));
      const resetTime = new Date(Date.now() + 6 * 3_600_000).toISOString();
      return send(response, 200, {
        buckets: [
          { modelId: 'gemini-2.5-pro', tokenType: 'REQUESTS', remainingFraction: spent ? 0 : 0.75, remainingAmount: spent ? '0' : '750', resetTime },
          { modelId: 'gemini-2.5-flash', tokenType: 'REQUESTS', remainingFraction: 0.9, remainingAmount: '1350', resetTime },
        ],
      });
    }
    if (request.rpc === 'countTokens') {
      const inner = (body.request ?? {}) as Json;
      if (typeof inner.model !== 'string' || !inner.model.startsWith('models/') || !Array.isArray(inner.contents)) return send(response, 400, googleError(400, 'INVALID_ARGUMENT', 'countTokens wants {request: {model: "models/…", contents}}'));
      return send(response, 200, { totalTokens: 42 });
    }
    if (request.rpc !== 'generateContent' && request.rpc !== 'streamGenerateContent') return send(response, 404, googleError(404, 'NOT_FOUND', `no method ${request.rpc}`));
    const project = body.project;
    const inner = body.request as Json | undefined;
    if (typeof body.model !== 'string' || typeof inner !== 'object' || inner === null) return send(response, 400, googleError(400, 'INVALID_ARGUMENT', 'expected the {model, project, request} envelope'));
    if (account.validationRequired) return send(response, 403, validationError());
    if (typeof project !== 'string' || !account.projects.includes(project)) {
      return send(response, 403, googleError(403, 'PERMISSION_DENIED', `Permission denied on resource project ${String(project)}.`, [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'USER_PROJECT_DENIED', domain: 'googleapis.com' }]));
    }
    if (fake.exhaustedProjects.has(project)) {
      return send(response, 429, googleError(429, 'RESOURCE_EXHAUSTED', 'You have exhausted your capacity on this model. Your quota will reset after 6h0m0s.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'QUOTA_EXHAUSTED', domain, metadata: { quotaResetDelay: '21600s', model: body.model } },
      ]));
    }
    if (fake.rateLimitNext > 0) {
      fake.rateLimitNext -= 1;
      return send(response, 429, googleError(429, 'RESOURCE_EXHAUSTED', 'Rate limit exceeded.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.2s' },
      ]));
    }
    const reply = replyFor(inner);
    const traceId = `trace-fake-${++counter}`;
    if (request.rpc === 'generateContent') return send(response, 200, { response: geminiResponse(reply, body.model), traceId });
    if (request.query.get('alt') !== 'sse') return send(response, 400, googleError(400, 'INVALID_ARGUMENT', 'streaming wants alt=sse'));
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of geminiStream(reply, body.model)) {
      const data = JSON.parse(event.slice('data: '.length)) as unknown;
      // Code Assist ends lines with CRLF; the decoder must take both.
      response.write(`data: ${JSON.stringify({ response: data, traceId })}\r\n\r\n`);
    }
    response.end();
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const match = /^\/v1internal(?::|\/)(.+)$/.exec(url.pathname);
      let json: Json | undefined;
      try {
        json = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : undefined;
      } catch {
        json = undefined;
      }
      const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
      const recorded: CodeAssistRequest = { method: request.method ?? 'GET', rpc: match?.[1] ?? url.pathname, query: url.searchParams, headers: request.headers, json, user: accessTokens.get(token) };
      requests.push(recorded);
      if (!match) return send(response, 404, googleError(404, 'NOT_FOUND', `not a v1internal path: ${url.pathname}`));
      route(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}
