import type { RuntimeProvider } from '../config/runtime-config.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import type { ExecutionGuard, ResponseHeaders } from '../guard/guard-contract.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';
import { accountTarget, keyTarget } from '../config/send-target.ts';

const maxListBytes = 8 * 1024 * 1024;

async function readText(body: AsyncIterable<unknown> & { destroy?: () => void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxListBytes) {
      body.destroy?.();
      throw new Error('model list larger than 8 MiB');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Asks one provider which models it serves (GET …/models, /api/tags for Ollama). The call goes through the guard
 * like any other upstream call, with the key it leases, over the provider's proxy: a 401 here tells the guard the
 * key is bad just as a chat request would.
 */
export async function fetchModelList(
  provider: RuntimeProvider,
  deps: { guard: ExecutionGuard; upstream: UpstreamClient; now(): number },
  signal: AbortSignal,
): Promise<string[]> {
  const { adapter } = provider;
  if (!adapter.listModels || !adapter.parseModelList) return [];
  return deps.guard.run<string[]>(
    { providerId: provider.id, model: '(model list)', stream: false, estimatedInputTokens: () => 0, signal },
    async (lease) => {
      const as = provider.accounts ? accountTarget(provider, await provider.accounts.credential(lease.keyId)) : keyTarget(provider, lease.secret);
      const prepared = adapter.listModels!({ endpoint: as.endpoint, credential: as.credential, configHeaders: as.configHeaders, ...(as.account?.profileArn ? { profileArn: as.account.profileArn } : {}) });
      const answer = await deps.upstream.send(
        {
          origin: as.endpoint.origin,
          path: prepared.path,
          method: 'GET',
          headers: prepared.headers,
          signal: lease.signal,
          proxy: provider.outbound.proxyFor(lease.keyId),
          timeouts: provider.outbound.timeouts,
        },
        provider.id,
      );
      const headers = answer.headers as ResponseHeaders;
      let text: string;
      try {
        text = await readText(answer.body);
      } catch (error) {
        throw new ProxyError({ code: 'upstream_error', status: 502, message: `${provider.id}: reading the model list failed (${(error as Error).message})`, scope: 'provider', provider: provider.id });
      }
      if (answer.statusCode < 200 || answer.statusCode >= 300) {
        throw adapter.classifyError({ status: answer.statusCode, headers, body: text }, { providerId: provider.id, keyId: lease.keyId, now: deps.now() });
      }
      return { value: adapter.parseModelList!(text), headers };
    },
  );
}
