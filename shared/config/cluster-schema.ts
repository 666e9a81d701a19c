import { z } from 'zod';

// Several Switchyard instances share one guard state (rate windows, pacing, leases, key decisions, breakers, learned
// budgets) through Redis. See docs/cluster.md.

export const clusterSchema = z.strictObject({
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'expected a redis:// or rediss:// (TLS) URL')
    .optional()
    .describe(
      'Redis that holds the guard state shared by several instances: redis://[:password@]host:port[/db], or rediss:// for TLS. SWITCHYARD_REDIS_URL wins over this field (keeps the password out of the file). Unset: each instance guards alone.',
    ),
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only')
    .default('switchyard')
    .describe('Prefix of every Redis key Switchyard writes, so several separate clusters can share one Redis. Instances of one cluster must use the same prefix.'),
});

export type ClusterConfig = z.infer<typeof clusterSchema>;
