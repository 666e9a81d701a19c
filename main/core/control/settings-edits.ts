import type { ApiParsedArgs } from '../../../shared/api-contract.ts';
import type { SettingsDocument } from '../../../shared/settings/settings-schema.ts';
import { isLanSharing, lanSharingHost } from '../../../shared/settings/settings-schema.ts';
import { defaultHost } from '../../../shared/config/server-schema.ts';
import { configOf, objectField } from './document-access.ts';

/**
 * Port and LAN sharing are the engine's `server.port` and `server.host`. Turning LAN sharing on listens on every
 * interface; turning it off returns to 127.0.0.1. A custom LAN address someone wrote by hand is kept while sharing
 * stays on.
 */
export function applySettingsChanges(document: SettingsDocument, args: ApiParsedArgs<'settings.update'>): void {
  const server = objectField(configOf(document), 'server');
  if (args.port !== undefined) server.port = args.port;
  if (args.lanSharing !== undefined) {
    const current = typeof server.host === 'string' ? server.host : defaultHost;
    if (args.lanSharing && !isLanSharing(current)) server.host = lanSharingHost;
    if (!args.lanSharing && isLanSharing(current)) server.host = defaultHost;
  }
  if (args.launchAtLogin !== undefined) objectField(document, 'preferences').launchAtLogin = args.launchAtLogin;
}
