// Response and item ids for clients, in the shape each format's clients expect.
import { randomBytes } from 'node:crypto';

// Ids must be unique, not unpredictable: 12 random hex digits drawn once per process, then a counter. Same length
// and alphabet as 12 random bytes in hex, without a call into the kernel's random source for every id (that call
// was 5% of translating a stream).
const processPart = randomBytes(6).toString('hex');
let counter = Math.floor(Math.random() * 0xffffffff);

export function newId(prefix: string): string {
  counter = (counter + 1) % 0x1000000000000;
  return prefix + processPart + counter.toString(16).padStart(12, '0');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
