import type { ServerResponse } from 'node:http';
import type { ApiError } from '../../../shared/api-contract.ts';
import { apiChannels, httpEventsPath, httpRouteOf } from '../../../shared/api-contract.ts';
import { webSessionPath, webSessionRequestSchema } from '../../../shared/api-contract-web.ts';
import type { ControlService } from './control-service.ts';
import { sendJson } from '../server/send.ts';
import { openEventStream } from './event-stream.ts';
import { registerUsageExportRoute } from './usage-export-route.ts';
import type { ManagementRouter } from '../server/management-router.ts';

const statusOf: Record<ApiError['code'], number> = {
  invalid_arguments: 400,
  unknown_channel: 404,
  not_found: 404,
  conflict: 409,
  read_only: 409,
  unauthorized: 401,
  unavailable: 503,
  internal: 500,
};

export function sendApiError(response: ServerResponse, error: ApiError): void {
  sendJson(response, statusOf[error.code], JSON.stringify({ error }), { 'cache-control': 'no-store' });
}

/**
 * The API contract over HTTP for the web dashboard: one route per channel (GET for reads, POST with a JSON body for
 * changes), the event stream, and the sign-in exchange. Every route except the exchange sits behind the management
 * token, which the server checks first. All of them only call the control service.
 * Returns a function that ends the open event streams (the engine calls it when stopping).
 */
export function registerControlRoutes(router: ManagementRouter, control: ControlService): { closeStreams(): void } {
  for (const channel of apiChannels) {
    const { method, path } = httpRouteOf(channel);
    router.add(
      method,
      path,
      async ({ body, response }) => {
        const answer = await control.dispatch(channel, method === 'GET' ? {} : body);
        if (answer.ok) return answer.result;
        sendApiError(response, answer.error);
        return undefined;
      },
    );
  }

  registerUsageExportRoute(router, control);

  const streams = new Set<() => void>();
  router.add('GET', httpEventsPath, ({ request, response }) => {
    const close = openEventStream(request, response, control);
    streams.add(close);
    response.on('close', () => streams.delete(close));
    return undefined;
  });

  router.add(
    'POST',
    webSessionPath,
    ({ body, response }) => {
      const parsed = webSessionRequestSchema.safeParse(body);
      if (!parsed.success || !control.webSessions.redeem(parsed.data.code)) {
        sendApiError(response, {
          code: 'unauthorized',
          message: 'This sign-in link was already used or has expired. Paste the management token instead (see docs/dashboard.md).',
        });
        return undefined;
      }
      const engine = control.options.engine();
      if (!engine) {
        sendApiError(response, { code: 'unavailable', message: 'Switchyard is not serving right now.' });
        return undefined;
      }
      sendJson(response, 200, JSON.stringify({ token: engine.runtime().managementToken }), { 'cache-control': 'no-store' });
      return undefined;
    },
    { public: true },
  );

  return {
    closeStreams() {
      for (const close of [...streams]) close();
    },
  };
}
