/** Sent upstream so providers can tell Switchyard's traffic apart. */
export const userAgent = 'Switchyard/0.1';
