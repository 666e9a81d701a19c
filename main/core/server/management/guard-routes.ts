import { ProxyError } from '../../errors/proxy-error.ts';
import type { ExecutionGuard } from '../../guard/guard-contract.ts';
import type { ManagementRouter } from './management-router.ts';

/**
 * The guard's management routes (issue 4, "Visible"): the live snapshot for the dashboard and tray, and putting a
 * key back in service after a 401/403 or a spent quota. The router only runs these after the management token check.
 */
export function registerGuardManagementRoutes(router: ManagementRouter, guard: ExecutionGuard): void {
  router.add('GET', '/api/guard', () => guard.snapshot());
  router.add('POST', '/api/guard/providers/:providerId/keys/:keyId/reset', ({ params }) => {
    const providerId = params.providerId ?? '';
    const keyId = params.keyId ?? '';
    if (!guard.resetKey(providerId, keyId)) {
      throw new ProxyError({ code: 'not_found', status: 404, scope: 'request', message: `No key "${keyId}" in provider "${providerId}".` });
    }
    return { reset: true, providerId, keyId };
  });
}
