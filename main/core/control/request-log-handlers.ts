// The request log's channels (shared/api-contract-request-log.ts): thin calls into the serving engine's log.
import type { ApiParsedArgs, ApiResult } from '../../../shared/api-contract.ts';
import type { RequestLog } from '../usage/request-log/request-log.ts';
import { ControlError, notFound } from './control-error.ts';
import type { ControlService } from './control-service.ts';

type RequestLogChannel = 'requestLog.status' | 'requestLog.start' | 'requestLog.stop' | 'requestLog.list' | 'requestLog.read' | 'requestLog.clear';
type RequestLogHandlers = { [C in RequestLogChannel]: (args: ApiParsedArgs<C>) => Promise<ApiResult<C>> };

function logOf(control: ControlService): RequestLog {
  const engine = control.options.engine();
  if (!engine) throw new ControlError('unavailable', 'Switchyard is not serving right now, so no request is being logged.');
  if (!engine.requestLog) throw new ControlError('unavailable', 'This engine keeps no request log.');
  return engine.requestLog;
}

export function createRequestLogHandlers(control: ControlService): RequestLogHandlers {
  return {
    'requestLog.status': async () => logOf(control).status(),
    'requestLog.start': async (args) => {
      const log = logOf(control);
      if (args.provider !== undefined && !(control.options.engine()?.config?.providers ?? []).some((provider) => provider.id === args.provider)) {
        throw notFound(`There is no provider "${args.provider}".`);
      }
      log.start(args.requests, args.provider ?? null);
      return log.status();
    },
    'requestLog.stop': async () => {
      const log = logOf(control);
      log.stop();
      return log.status();
    },
    'requestLog.list': async (args) => logOf(control).list(args.before, args.limit),
    'requestLog.read': async (args) => {
      const entry = logOf(control).read(args.id);
      if (!entry) throw notFound(`There is no request-log entry ${args.id} (it may have been dropped by the caps or cleared).`);
      return entry;
    },
    'requestLog.clear': async () => {
      const log = logOf(control);
      log.clear();
      return log.status();
    },
  };
}
