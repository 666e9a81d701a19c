// The latency and limits-and-forecast channels (shared/api-contract-usage-insights.ts).
import type { ApiParsedArgs, ApiResult } from '../../../shared/api-contract.ts';
import type { ControlService } from './control-service.ts';
import type { RecentActivity } from './quota-forecast-view.ts';
import { quotaForecastView } from './quota-forecast-view.ts';
import { askLedger, ledgerOf } from './usage-handlers.ts';

type InsightChannel = 'usage.latency' | 'quota.forecast';
type InsightHandlers = { [C in InsightChannel]: (args: ApiParsedArgs<C>) => Promise<ApiResult<C>> };

const hourMs = 3_600_000;

export function createUsageInsightHandlers(control: ControlService): InsightHandlers {
  return {
    'usage.latency': async (args) => askLedger(() => ledgerOf(control).latency({ from: args.from, to: args.to, bucket: args.bucket })),
    'quota.forecast': async () => {
      const now = control.now();
      const engine = control.options.engine();
      if (!engine) return { takenAt: now, warnWithinMs: 0, rateFrom: 'guard', credentials: [] };
      let activity: RecentActivity | undefined;
      try {
        // A ledger that cannot answer is no reason to hide the limits: the guard's own windows give a rate then.
        activity = engine.usage ? { lastHour: engine.usage.credentials(now - hourMs, now + 1), lastDay: engine.usage.credentials(now - 24 * hourMs, now + 1) } : undefined;
      } catch {
        activity = undefined;
      }
      const providers = (await control.servingConfig()).providers.map((provider) => ({ id: provider.id, name: provider.name ?? provider.id, type: provider.type }));
      return quotaForecastView({ snapshot: engine.guard.snapshot(), providers, ...(activity ? { activity } : {}), now });
    },
  };
}
