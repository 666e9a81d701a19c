import type { RecentClientsView } from '../../../shared/api-contract-network.ts';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import { isLanSharing } from '../../../shared/settings/settings-schema.ts';
import type { ControlledEngine } from './control-service.ts';

/** The network.recentClients view: the engine's table of recent clients with what the panel needs to explain it. */
export function recentClientsView(engine: ControlledEngine | undefined, config: SwitchyardConfig): RecentClientsView {
  const recent = engine?.recentClients;
  return {
    clients: recent?.list() ?? [],
    capacity: recent?.capacity ?? 0,
    sharedOnNetwork: isLanSharing(config.server.host),
    allowedClients: [...config.server.allowedClients],
  };
}
