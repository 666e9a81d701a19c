// Response and item ids for clients, in the shape each format's clients expect.
import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  return prefix + randomBytes(12).toString('hex');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
