/**
 * The origin of the desktop app's window: the dashboard is served to it from `switchyard://app/` (a privileged custom
 * scheme, main/app/window/app-protocol.ts). Known here because the engine's Origin check accepts it too.
 */
export const appScheme = 'switchyard';
export const appHost = 'app';
export const appOrigin = `${appScheme}://${appHost}`;
