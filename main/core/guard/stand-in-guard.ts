import { ProxyError } from '../errors/proxy-error.ts';
import type { Attempt, ExecutionGuard, GuardProvider, GuardRequest } from './guard-contract.ts';

/**
 * TEMPORARY: the smallest guard that keeps the request path honest (every send goes through `run`, keys rotate on
 * key-scoped failures) while the real ExecutionGuard is being built in this folder. Issue 4 replaces it.
 */
export function createStandInGuard(): ExecutionGuard {
  let providers = new Map<string, GuardProvider>();
  const cursors = new Map<string, number>();
  return {
    configure(next) {
      providers = new Map(next.map((provider) => [provider.id, provider]));
    },
    snapshot() {
      return { providers: [...providers.values()].map((provider) => ({ id: provider.id, keys: provider.keys.map((key) => ({ id: key.id, last4: key.secret.slice(-4) })) })) };
    },
    async run<T>(request: GuardRequest, attempt: Attempt<T>): Promise<T> {
      const provider = providers.get(request.providerId);
      const keys = provider?.keys.filter((key) => key.enabled) ?? [];
      if (keys.length === 0) {
        throw new ProxyError({ code: 'no_available_key', status: 503, message: `${request.providerId}: no usable key`, scope: 'provider', provider: request.providerId });
      }
      const start = cursors.get(request.providerId) ?? 0;
      cursors.set(request.providerId, (start + 1) % keys.length);
      let lastError: unknown;
      for (let index = 0; index < keys.length; index += 1) {
        const key = keys[(start + index) % keys.length]!;
        try {
          const result = await attempt({ providerId: request.providerId, keyId: key.id, secret: key.secret, attempt: index + 1, signal: request.signal });
          result.finished?.catch(() => {});
          return result.value;
        } catch (error) {
          lastError = error;
          if (!(error instanceof ProxyError) || error.scope !== 'key') throw error;
        }
      }
      throw lastError;
    },
  };
}
