// The usage ledger's channels (shared/api-contract-usage.ts): thin calls into the engine's ledger. A ledger that
// cannot answer (recording off, the database unavailable) is a clear "unavailable", never a crash.
import type { ApiParsedArgs, ApiResult } from '../../../shared/api-contract.ts';
import type { LedgerStatusView } from '../../../shared/usage-views.ts';
import type { UsageLedger } from '../usage/usage-ledger.ts';
import { UsageQueryError } from '../usage/usage-queries.ts';
import { ControlError } from './control-error.ts';
import type { ControlService } from './control-service.ts';

type UsageChannel = 'usage.summary' | 'usage.recent' | 'usage.credentials' | 'usage.status';
type UsageHandlers = { [C in UsageChannel]: (args: ApiParsedArgs<C>) => Promise<ApiResult<C>> };

/** The status shown while no engine records (paused, stopped, or one started without a data dir). */
export function notRecordingStatus(message: string): LedgerStatusView {
  return { health: 'unavailable', message, path: '', queued: 0, recorded: 0, dropped: 0, quarantinedFile: null, usedBytes: null };
}

/** The serving engine's ledger, or a ControlError saying why there is none. */
export function ledgerOf(control: ControlService): UsageLedger {
  const engine = control.options.engine();
  if (!engine) throw new ControlError('unavailable', 'Switchyard is not serving right now, so no usage is being recorded.');
  if (!engine.usage) throw new ControlError('unavailable', 'This engine keeps no usage ledger (it was started without a data dir).');
  return engine.usage;
}

/** Runs a ledger query; its refusals (recording off, the database unavailable) become ControlErrors. The arguments were checked already. */
export function askLedger<T>(query: () => T): T {
  try {
    return query();
  } catch (error) {
    throw asControlError(error);
  }
}

/** A ledger refusal as the ControlError the caller gets; anything else unchanged. */
export function asControlError(error: unknown): unknown {
  return error instanceof UsageQueryError ? new ControlError('unavailable', error.message) : error;
}

export function createUsageHandlers(control: ControlService): UsageHandlers {
  return {
    'usage.summary': async (args) => askLedger(() => ledgerOf(control).summary({ from: args.from, to: args.to, bucket: args.bucket, ...(args.groupBy ? { groupBy: args.groupBy } : {}) })),
    'usage.recent': async (args) => askLedger(() => ledgerOf(control).recent(args)),
    'usage.credentials': async (args) => ({ credentials: askLedger(() => ledgerOf(control).credentials(args.from, args.to)) }),
    'usage.status': async () => {
      try {
        return ledgerOf(control).status();
      } catch (error) {
        if (error instanceof ControlError) return notRecordingStatus(error.message);
        throw error;
      }
    },
  };
}
