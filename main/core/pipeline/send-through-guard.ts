import { hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ProxyError, clientAbortedError } from '../errors/proxy-error.ts';
import type { AttemptSuccess, KeyLease, ResponseHeaders } from '../guard/guard-contract.ts';
import type { TargetPlan } from './plan-target.ts';
import type { UpstreamOperation } from '../providers/provider-adapter.ts';
import { readAll, readCappedText } from '../upstream/read-capped.ts';
import type { TargetCall } from './target-call.ts';
import type { SendTarget } from '../config/send-target.ts';
import { accountTarget, keyTarget } from '../config/send-target.ts';

/** An upstream answer that got past the guard: read whole (non-streaming), or a body still to be relayed. */
export interface Served {
  kind: 'buffered' | 'stream';
  status: number;
  headers: ResponseHeaders;
  body?: Buffer;
  stream?: Readable;
  /** For streams: settle it when the relay ends, so the guard keeps its slot until then. */
  finished?: PromiseWithResolvers<void>;
}

const ignore = () => {};

/**
 * A served stream that will not be relayed to its end after all (something failed before or during the relay): gives
 * the guard its slot back (via `finished`) and lets the upstream connection go. Destroying an undici body emits an
 * 'error' (aborted), which must have a listener or it is an uncaught exception.
 */
export function abandonServed(served: Served, error: unknown): void {
  served.stream?.on('error', ignore);
  served.stream?.destroy();
  served.finished?.reject(error);
}

/** What is sent: the bytes, and the wire format they are in (always one the provider speaks for the operation). */
export type SendPlan = Pick<TargetPlan, 'upstreamFormat' | 'body'>;

export interface SendOptions {
  /** Hand the 2xx answer back unread, to be relayed as it arrives (a large image answer), even when not a stream. */
  relay?: boolean;
}

/**
 * The one place a request is sent upstream: inside guard.run, with the key the guard leased for this attempt
 * (docs/guard.md). A non-2xx answer is read (capped) and classified by the provider's adapter, so the guard
 * decides retries, cooldowns and fallback from one ProxyError.
 */
export function sendThroughGuard(call: TargetCall, plan: SendPlan, operation: UpstreamOperation, options: SendOptions = {}): Promise<Served> {
  const { deps, request, provider, target, state } = call;
  const stream = operation === 'generate' ? request.stream : options.relay === true;
  const dedupKey = !stream && provider.config.dedup?.enabled ? dedupKeyOf(call, plan, operation) : undefined;

  return deps.guard.run<Served>(
    {
      providerId: provider.id,
      model: target.model,
      stream,
      estimatedInputTokens: call.context.traits.estimatedInputTokens,
      dedupKey,
      signal: call.context.signal,
      // A combo entry limited to some keys (docs/routing.md); the guard's key pool honours it.
      ...(target.keyIds ? { keyIds: target.keyIds } : {}),
    },
    async (lease): Promise<AttemptSuccess<Served>> => {
      state.attempts += 1;
      call.context.usage.attemptStarted(lease.keyId, provider.accounts !== undefined);
      try {
        return await attempt(lease);
      } catch (error) {
        if (error instanceof ProxyError) call.context.usage.attemptFailed(error);
        throw error;
      }
    },
  );

  async function attempt(lease: KeyLease): Promise<AttemptSuccess<Served>> {
    // A signed-in account fetches its token here (refreshed first when due); an API key is used as leased.
    const first = provider.accounts ? accountTarget(provider, await provider.accounts.credential(lease.keyId)) : keyTarget(provider, lease.secret);
    const sendAs = (as: SendTarget) => {
      const prepared = provider.adapter.prepare({
        endpoint: as.endpoint,
        format: plan.upstreamFormat,
        operation,
        model: target.model,
        stream,
        credential: as.credential,
        clientHeaders: request.headers,
        configHeaders: as.configHeaders,
        clientQuery: request.query,
        body: plan.body,
        ...(as.account?.project ? { project: as.account.project } : {}),
        ...(as.account?.profileArn ? { profileArn: as.account.profileArn } : {}),
      });
      call.context.capture?.sentUpstream(provider.id, plan.upstreamFormat, as.endpoint.origin + prepared.path, prepared.headers, plan.body, stream);
      return deps.upstream.send(
        {
          origin: as.endpoint.origin,
          path: prepared.path,
          method: 'POST',
          headers: prepared.headers,
          body: prepared.body ?? plan.body,
          signal: lease.signal,
          proxy: provider.outbound.proxyFor(lease.keyId),
          timeouts: provider.outbound.timeouts,
          ...(lease.sentReport ? { sentReport: lease.sentReport } : {}),
        },
        provider.id,
      );
    };
    let upstream = await sendAs(first);
    if (upstream.statusCode === 401 && first.account && provider.accounts) {
      // The vendor expired the token early: refresh once (shared with concurrent callers), retry once.
      await readCappedText(upstream.body);
      upstream = await sendAs(accountTarget(provider, await provider.accounts.afterUnauthorized(lease.keyId, first.account.token)));
    }
    lease.headersArrived();
    call.context.usage.firstByte();
    const headers = upstream.headers as ResponseHeaders;
    call.context.capture?.upstreamHead(upstream.statusCode, headers, stream && upstream.statusCode < 300);
    provider.accounts?.observe(lease.keyId, headers);
    if (upstream.statusCode < 200 || upstream.statusCode >= 300) {
      // Some vendors quote the key in their error text: mask every credential held before the text can reach the
      // client, the guard's disabled reason, views, events or logs.
      const text = deps.logger.masker.mask(await readCappedText(upstream.body));
      call.context.capture?.upstreamBytes(text);
      const failure = provider.adapter.classifyError(
        { status: upstream.statusCode, headers, body: text },
        { providerId: provider.id, keyId: lease.keyId, now: deps.now() },
      );
      provider.accounts?.noteFailure(lease.keyId, failure);
      throw failure;
    }
    if (!stream) {
      let body: Buffer;
      try {
        body = await readAll(upstream.body);
      } catch (error) {
        throw toUpstreamReadError(error, provider.id, lease.signal);
      }
      call.context.capture?.upstreamBytes(body);
      // Some vendors (MiniMax) report a failure inside a 200: it counts as that failure, key rotation included.
      const reported = provider.adapter.errorInAnswer?.(body, { providerId: provider.id, keyId: lease.keyId, now: deps.now() });
      if (reported) {
        provider.accounts?.noteFailure(lease.keyId, reported);
        throw reported;
      }
      return { value: { kind: 'buffered', status: upstream.statusCode, headers, body }, headers };
    }
    const finished = Promise.withResolvers<void>();
    // The guard may not listen to every settlement; an unobserved rejection must not crash the process.
    finished.promise.catch(() => {});
    return {
      value: { kind: 'stream', status: upstream.statusCode, headers, stream: upstream.body, finished },
      headers,
      finished: finished.promise,
    };
  }
}

/**
 * Identical requests share one answer only when everything that shapes the answer is the same: the target, the
 * operation, the body and the client headers the adapter forwards (two requests differing only in anthropic-beta
 * get different answers).
 */
function dedupKeyOf(call: TargetCall, plan: SendPlan, operation: UpstreamOperation): string {
  let prefix = `${call.provider.id}\n${call.target.model}\n${operation}\n`;
  for (const name of call.provider.adapter.forwardedClientHeaders ?? []) {
    const value = call.request.headers[name];
    prefix += `${name}:${Array.isArray(value) ? value.join(',') : (value ?? '')}\n`;
  }
  // One-shot hash of prefix + body (the same digest as feeding both to a Hash object, without creating one).
  return hash('sha256', Buffer.concat([Buffer.from(prefix), plan.body]), 'base64url');
}

function toUpstreamReadError(error: unknown, providerId: string, signal: AbortSignal): ProxyError {
  if (signal.aborted) return clientAbortedError(providerId);
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError({ code: 'upstream_error', status: 502, message: `${providerId}: the answer broke off (${message})`, scope: 'provider', retryable: true, provider: providerId, cause: error });
}
