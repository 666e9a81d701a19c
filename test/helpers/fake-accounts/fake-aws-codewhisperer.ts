import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerEvents, type FakeKiroAnswer } from './fake-aws-event-stream.ts';
import type { FakeAwsOidc, FakeAwsUser } from './fake-aws-oidc.ts';

export interface RecordedKiroRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  json?: Record<string, unknown>;
  user?: FakeAwsUser;
}

/** What the fake answers a chat request with: an answer (as events), raw bytes, or an HTTP error. */
export type KiroReply = { kind: 'answer'; answer: FakeKiroAnswer } | { kind: 'bytes'; bytes: Buffer } | { kind: 'error'; status: number; type: string; message: string; reason?: string };

export interface FakeCodewhisperer {
  url: string;
  requests: RecordedKiroRequest[];
  /** Decides each chat answer; the default answers the weather conversation of the SDK drivers. */
  setHandler(handler: (request: RecordedKiroRequest) => KiroReply): void;
  /** Bytes per network write of an answer (small, so frames arrive split). */
  chunkBytes: number;
  /** Users whose monthly credits are spent: chat answers 429 with the monthly reason, usage limits say 100%. */
  spent: Set<string>;
  /** CodeWhisperer profiles by user id, as ListAvailableProfiles lists them (IAM Identity Center set-ups). */
  profiles: Map<string, Array<{ arn: string; profileName: string }>>;
  /** Users whose chat, model list and usage limits are refused unless they name one of their profiles (profileArn). */
  requireProfile: Set<string>;
  /** Profiles per ListAvailableProfiles page at most (besides the request's maxResults), to make paging happen. */
  profilePageSize: number;
  close(): Promise<void>;
}

/** The conversation rules CodeWhisperer enforces (observed): alternating turns starting with a user, no empty content. */
export function conversationProblem(body: Record<string, unknown> | undefined): string | undefined {
  const state = body?.conversationState as { currentMessage?: { userInputMessage?: Record<string, unknown> }; history?: Array<Record<string, Record<string, unknown>>> } | undefined;
  const current = state?.currentMessage?.userInputMessage;
  if (!current || typeof current.content !== 'string' || current.content === '' || typeof current.modelId !== 'string') return 'currentMessage.userInputMessage needs content and modelId';
  const history = state?.history ?? [];
  const toolUses = new Set<string>();
  for (const [index, entry] of history.entries()) {
    const expected = index % 2 === 0 ? 'userInputMessage' : 'assistantResponseMessage';
    const message = entry[expected];
    if (!message) return `history[${index}] must be a ${expected}`;
    if (typeof message.content !== 'string' || message.content === '') return `history[${index}] has empty content`;
    for (const use of (message.toolUses as Array<{ toolUseId: string }> | undefined) ?? []) toolUses.add(use.toolUseId);
  }
  if (history.length % 2 !== 0) return 'history must end with an assistantResponseMessage';
  const results = ((current.userInputMessageContext as { toolResults?: Array<{ toolUseId: string }> } | undefined)?.toolResults ?? []).map((result) => result.toolUseId);
  for (const id of results) if (!toolUses.has(id)) return `toolResult ${id} answers no toolUse in the history`;
  return undefined;
}

/** The default answers: the weather conversation of the SDK drivers (a call when tools are offered, then the result). */
export function defaultKiroReply(request: RecordedKiroRequest): KiroReply {
  const current = (request.json?.conversationState as { currentMessage: { userInputMessage: { userInputMessageContext?: { toolResults?: Array<{ content: Array<{ text: string }> }>; tools?: unknown[] } } } }).currentMessage.userInputMessage;
  const result = current.userInputMessageContext?.toolResults?.[0];
  if (result) return { kind: 'answer', answer: { text: `The tool said: ${result.content[0]!.text}` } };
  if ((current.userInputMessageContext?.tools ?? []).length > 0) return { kind: 'answer', answer: { reasoning: 'The person wants the weather.', text: 'Checking the weather.', calls: [{ name: 'get_weather', input: { city: 'Paris' } }] } };
  return { kind: 'answer', answer: { text: 'Hello from the fake upstream.' } };
}

function nextMonth(): number {
  const now = new Date();
  return Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) / 1000);
}

/**
 * CodeWhisperer (codewhisperer.us-east-1.amazonaws.com) as Kiro uses it: generateAssistantResponse answering in the
 * binary event stream, ListAvailableModels, getUsageLimits — each checking the bearer token against the fake OIDC —
 * and ListAvailableProfiles (paged), with users whose every call must name one of their profiles.
 */
export async function startFakeCodewhisperer(oidc: FakeAwsOidc): Promise<FakeCodewhisperer> {
  let handler = defaultKiroReply;
  let toolCounter = 0;
  const fake = { requests: [] as RecordedKiroRequest[], chunkBytes: 7, spent: new Set<string>(), profiles: new Map(), requireProfile: new Set<string>(), profilePageSize: 50 } as unknown as FakeCodewhisperer;
  /** A refusal when the user must name a profile and `profileArn` is none of theirs (observed as an access denial). */
  const profileRefusal = (user: FakeAwsUser, profileArn: unknown) => {
    if (!fake.requireProfile.has(user.userId)) return undefined;
    if (typeof profileArn === 'string' && (fake.profiles.get(user.userId) ?? []).some((profile) => profile.arn === profileArn)) return undefined;
    return { message: typeof profileArn === 'string' ? `Profile ${profileArn} is not available to this user.` : 'This user must name a CodeWhisperer profile (profileArn) in each request.' };
  };
  const json = (response: ServerResponse, status: number, body: unknown, type?: string) => {
    response.writeHead(status, { 'content-type': 'application/json', ...(type ? { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.aws.codewhisperer/` } : {}) });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const user = token ? oidc.userOf(token) : undefined;
      const recorded: RecordedKiroRequest = { path: url.pathname, query: url.searchParams, headers: request.headers, ...(user ? { user } : {}) };
      try {
        if (text) recorded.json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return json(response, 400, { message: 'body is not JSON' }, 'SerializationException');
      }
      fake.requests.push(recorded);
      if (!user) return json(response, 403, { message: 'The bearer token included in the request is invalid.' }, 'AccessDeniedException');
      // AWS JSON 1.0 operations: POST to the root, the operation in x-amz-target.
      if (url.pathname === '/' && request.method === 'POST') {
        if (request.headers['x-amz-target'] !== 'AmazonCodeWhispererService.ListAvailableProfiles') return json(response, 400, { message: `unknown target ${String(request.headers['x-amz-target'])}` }, 'UnknownOperationException');
        if (request.headers['content-type'] !== 'application/x-amz-json-1.0') return json(response, 400, { message: 'expected application/x-amz-json-1.0' }, 'SerializationException');
        const all = fake.profiles.get(user.userId) ?? [];
        const start = typeof recorded.json?.nextToken === 'string' ? Number(recorded.json.nextToken.replace('page-fake-', '')) : 0;
        const size = Math.min(fake.profilePageSize, typeof recorded.json?.maxResults === 'number' ? recorded.json.maxResults : 10);
        const page = all.slice(start, start + size);
        return json(response, 200, { profiles: page, ...(start + size < all.length ? { nextToken: `page-fake-${start + size}` } : {}) });
      }
      const refusal = profileRefusal(user, url.searchParams.get('profileArn') ?? recorded.json?.profileArn);
      if (refusal) return json(response, 403, refusal, 'AccessDeniedException');
      if (url.pathname === '/ListAvailableModels' && request.method === 'GET') {
        if (url.searchParams.get('origin') !== 'AI_EDITOR') return json(response, 400, { message: 'origin is required' }, 'ValidationException');
        return json(response, 200, { models: [{ modelId: 'claude-sonnet-4.5', modelName: 'Claude Sonnet 4.5' }, { modelId: 'claude-haiku-4.5', modelName: 'Claude Haiku 4.5' }], defaultModel: { modelId: 'claude-sonnet-4.5' } });
      }
      if (url.pathname === '/getUsageLimits' && request.method === 'GET') {
        const used = fake.spent.has(user.userId) ? 50 : 12.5;
        return json(response, 200, {
          usageBreakdownList: [{ resourceType: 'CREDIT', currentUsageWithPrecision: used, usageLimitWithPrecision: 50, freeTrialInfo: { freeTrialStatus: 'EXPIRED', currentUsageWithPrecision: 0, usageLimitWithPrecision: 500 } }],
          nextDateReset: nextMonth(),
          subscriptionInfo: { subscriptionTitle: 'KIRO FREE' },
          ...(url.searchParams.get('isEmailRequired') === 'true' ? { userInfo: { email: user.email, userId: user.userId } } : {}),
        });
      }
      if (url.pathname !== '/generateAssistantResponse' || request.method !== 'POST') return json(response, 404, { message: 'unknown operation' }, 'UnknownOperationException');
      if (request.headers.accept !== 'application/vnd.amazon.eventstream') return json(response, 400, { message: 'accept the event stream' }, 'ValidationException');
      const problem = conversationProblem(recorded.json);
      if (problem) return json(response, 400, { message: `Improperly formed request: ${problem}` }, 'ValidationException');
      if (fake.spent.has(user.userId)) return json(response, 429, { message: 'You have reached the limit for this month.', reason: 'MONTHLY_REQUEST_COUNT' }, 'ThrottlingException');
      const reply = handler(recorded);
      if (reply.kind === 'error') return json(response, reply.status, { message: reply.message, ...(reply.reason ? { reason: reply.reason } : {}) }, reply.type);
      const bytes = reply.kind === 'bytes' ? reply.bytes : Buffer.concat(answerEvents(reply.answer, () => `tooluse_fake_${++toolCounter}`));
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      void (async () => {
        for (let at = 0; at < bytes.length; at += fake.chunkBytes) {
          response.write(bytes.subarray(at, at + fake.chunkBytes));
          if (at % (fake.chunkBytes * 16) === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        response.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setHandler: (next: (request: RecordedKiroRequest) => KiroReply) => void (handler = next),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
