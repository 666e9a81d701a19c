import { z } from 'zod';
import { parseIpRange } from './ip-range.ts';
import { secretRefSchema } from './secret-ref-schema.ts';

export const defaultPort = 8787;
export const defaultHost = '127.0.0.1';
/** 32 MiB: the Anthropic API's own request limit; big enough for image-heavy agent turns. */
export const defaultMaxBodyBytes = 32 * 1024 * 1024;

export const serverSchema = z.strictObject({
  host: z.string().min(1).default(defaultHost).describe('Address to listen on. 127.0.0.1 keeps Switchyard private to this machine; 0.0.0.0 shares it on the LAN (clients still need a key).'),
  port: z.number().int().min(0).max(65535).default(defaultPort).describe('TCP port. 0 picks a free port.'),
  clientKeys: z
    .array(secretRefSchema)
    .default([])
    .describe('Keys that clients must present (x-api-key, Authorization: Bearer, x-goog-api-key or ?key=). When empty, a key is generated at first start and stored in the data dir.'),
  managementToken: secretRefSchema.optional().describe('Token for the management API under /api/. Generated and stored in the data dir when absent.'),
  maxBodyBytes: z.number().int().min(1024).default(defaultMaxBodyBytes).describe('Largest request body accepted, in bytes.'),
  allowedHosts: z
    .array(z.string().min(1))
    .default([])
    .describe("Extra host names accepted in the Host header (IP literals and localhost are always accepted), and as the host of a browser page's Origin. Guards against DNS rebinding and cross-site pages."),
  allowedClients: z
    .array(
      z.string().superRefine((entry, context) => {
        const range = parseIpRange(entry);
        if (typeof range === 'string') context.addIssue({ code: 'custom', message: range });
      }),
    )
    .default([])
    .describe('IP addresses and CIDR ranges (192.168.1.0/24, fd00::/8) allowed to connect at all, checked before a byte is read. Empty allows every address; the client key still applies. Use it when sharing on the LAN.'),
  maxConnections: z.number().int().min(1).default(512).describe('Open client connections accepted at once; the next one is answered 503 and closed. Keeps a flood of idle connections from using up the file limit.'),
  headersTimeoutMs: z.number().int().min(100).default(60_000).describe('A connection must send its request headers within this long of connecting (and of starting each later request), or it is closed.'),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info').describe('How much the engine logs to stderr. Secrets are masked at every level.'),
}).describe('Where and how Switchyard listens for clients.');

export type ServerConfig = z.infer<typeof serverSchema>;
