import type { ExecutionGuard } from '../guard/guard-contract.ts';

/**
 * GET /health. Always 200 while the engine serves: an instance whose guard state is not shared still serves on its
 * local guard, so a load balancer must keep it. A configured but broken sharing shows as `sharedState.warning`
 * ("guard state not shared: …"); without sharing configured the body stays {"status":"ok"}.
 */
export function healthBody(guard: ExecutionGuard): string {
  const sharedState = guard.snapshot().sharedState;
  if (!sharedState || (sharedState.mode === 'local' && sharedState.warning === undefined)) return '{"status":"ok"}';
  return JSON.stringify({ status: 'ok', sharedState });
}
