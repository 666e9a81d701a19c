import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ProxyError } from '../errors/proxy-error.ts';
import type { AttemptSuccess, ResponseHeaders } from '../guard/guard-contract.ts';
import { estimateTokensRoughly } from './count-tokens.ts';
import type { Deferred } from './deferred.ts';
import { deferred } from './deferred.ts';
import type { TargetPlan } from './plan-target.ts';
import { readAll, readCappedText } from './read-capped.ts';
import type { TargetCall } from './target-call.ts';
import type { SendTarget } from '../accounts/send-target.ts';
import { accountTarget, keyTarget } from '../accounts/send-target.ts';

/** An upstream answer that got past the guard: read whole (non-streaming), or a body still to be relayed. */
export interface Served {
  kind: 'buffered' | 'stream';
  status: number;
  headers: ResponseHeaders;
  body?: Buffer;
  stream?: Readable;
  /** For streams: settle it when the relay ends, so the guard keeps its slot until then. */
  finished?: Deferred<void>;
}

/**
 * The one place a request is sent upstream: inside guard.run, with the key the guard leased for this attempt
 * (DESIGN.md "The guard"). A non-2xx answer is read (capped) and classified by the provider's adapter, so the guard
 * decides retries, cooldowns and fallback from one ProxyError.
 */
export function sendThroughGuard(call: TargetCall, plan: TargetPlan, operation: 'generate' | 'countTokens'): Promise<Served> {
  const { deps, request, provider, target, state } = call;
  const stream = operation === 'generate' && request.stream;
  const dedupKey =
    !stream && provider.config.dedup?.enabled
      ? createHash('sha256').update(`${provider.id}\n${target.model}\n${operation}\n`).update(plan.body).digest('base64url')
      : undefined;

  return deps.guard.run<Served>(
    {
      providerId: provider.id,
      model: target.model,
      stream,
      estimatedInputTokens: estimateTokensRoughly(plan.body.length),
      dedupKey,
      signal: call.signal,
      // A combo entry limited to some keys (docs/routing.md); the guard's key pool honours it.
      ...(target.keyIds ? { keyIds: target.keyIds } : {}),
    },
    async (lease): Promise<AttemptSuccess<Served>> => {
      state.attempts += 1;
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
        });
        return deps.upstream.send(
          {
            origin: as.endpoint.origin,
            path: prepared.path,
            method: 'POST',
            headers: prepared.headers,
            body: plan.body,
            signal: lease.signal,
            proxy: provider.outbound.proxyFor(lease.keyId),
            timeouts: provider.outbound.timeouts,
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
      const headers = upstream.headers as ResponseHeaders;
      provider.accounts?.observe(lease.keyId, headers);
      if (upstream.statusCode < 200 || upstream.statusCode >= 300) {
        const text = await readCappedText(upstream.body);
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
        // Some vendors (MiniMax) report a failure inside a 200: it counts as that failure, key rotation included.
        const reported = provider.adapter.errorInAnswer?.(body, { providerId: provider.id, keyId: lease.keyId, now: deps.now() });
        if (reported) {
          provider.accounts?.noteFailure(lease.keyId, reported);
          throw reported;
        }
        return { value: { kind: 'buffered', status: upstream.statusCode, headers, body }, headers };
      }
      const finished = deferred<void>();
      return {
        value: { kind: 'stream', status: upstream.statusCode, headers, stream: upstream.body, finished },
        headers,
        finished: finished.promise,
      };
    },
  );
}

function toUpstreamReadError(error: unknown, providerId: string, signal: AbortSignal): ProxyError {
  if (signal.aborted) return new ProxyError({ code: 'client_aborted', status: 499, message: 'The client closed the connection', scope: 'client', provider: providerId });
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError({ code: 'upstream_error', status: 502, message: `${providerId}: the answer broke off (${message})`, scope: 'provider', retryable: true, provider: providerId, cause: error });
}
