import { z } from 'zod';

// Who connected recently (docs/security.md, Who connected recently), merged into the API contract in one line.
// Addresses, counts and key labels (a named client key's name), never a key.

const count = z.number().int().min(0);

export const recentClientViewSchema = z.strictObject({
  address: z.string(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  requests: count,
  refused: z.strictObject({ allowlist: count, badKey: count, throttled: count, tooManyConnections: count }),
  keyLabels: z.array(z.string().max(80)).max(4),
});

export const recentClientsViewSchema = z.strictObject({
  /** Most recently seen first; at most `capacity` addresses are remembered (least recently seen forgotten first). */
  clients: z.array(recentClientViewSchema).max(1024),
  capacity: count,
  /** Whether Switchyard listens beyond this computer (LAN sharing): the panel explains what the list means. */
  sharedOnNetwork: z.boolean(),
  /** server.allowedClients in force (empty: everyone may connect; the client key still applies). */
  allowedClients: z.array(z.string()),
});

export type RecentClientView = z.output<typeof recentClientViewSchema>;
export type RecentClientsView = z.output<typeof recentClientsViewSchema>;

export const networkChannels = {
  /** Per remote address: first and last seen, requests, refusals, the labels of the keys used. */
  'network.recentClients': { method: 'GET', args: z.strictObject({}), result: recentClientsViewSchema },
} as const satisfies Record<string, { method: 'GET' | 'POST'; args: z.ZodType; result: z.ZodType }>;
