import { crc32 } from 'node:zlib';

// The AWS binary event stream (application/vnd.amazon.eventstream) that CodeWhisperer answers with
// (docs/wire-formats.md "AWS event stream"). Each message, all integers big-endian:
//   total length u32 | headers length u32 | prelude CRC32 (of the first 8 bytes) u32 | headers | payload |
//   message CRC32 (of everything before it) u32
// A header is: name length u8, name, value type u8, value. Both CRCs are checked: a frame whose bytes were damaged
// is an error, never text handed to the client.

export type HeaderValue = string | number | bigint | boolean | Buffer;

export interface EventFrame {
  headers: Record<string, HeaderValue>;
  payload: Buffer;
}

export class EventStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStreamError';
  }
}

const preludeBytes = 12;
const overheadBytes = 16;
/** No CodeWhisperer event comes near this; a larger length is a damaged prelude, not a reason to buffer forever. */
export const maxFrameBytes = 16 * 1024 * 1024;

function readHeaders(bytes: Buffer): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  let at = 0;
  const need = (count: number) => {
    if (at + count > bytes.length) throw new EventStreamError('an event header runs past the header block');
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = bytes[at]!;
    at += 1;
    need(nameLength + 1);
    const name = bytes.toString('utf8', at, at + nameLength);
    at += nameLength;
    const type = bytes[at]!;
    at += 1;
    switch (type) {
      case 0:
      case 1:
        headers[name] = type === 0;
        break;
      case 2:
        need(1);
        headers[name] = bytes.readInt8(at);
        at += 1;
        break;
      case 3:
        need(2);
        headers[name] = bytes.readInt16BE(at);
        at += 2;
        break;
      case 4:
        need(4);
        headers[name] = bytes.readInt32BE(at);
        at += 4;
        break;
      case 5:
      case 8:
        need(8);
        headers[name] = bytes.readBigInt64BE(at);
        at += 8;
        break;
      case 6:
      case 7: {
        need(2);
        const length = bytes.readUInt16BE(at);
        at += 2;
        need(length);
        headers[name] = type === 7 ? bytes.toString('utf8', at, at + length) : Buffer.from(bytes.subarray(at, at + length));
        at += length;
        break;
      }
      case 9:
        need(16);
        headers[name] = bytes.toString('hex', at, at + 16);
        at += 16;
        break;
      default:
        throw new EventStreamError(`an event header has the unknown value type ${type}`);
    }
  }
  return headers;
}

/** One complete message (its total length already known to be available) -> its headers and payload. */
export function decodeFrame(message: Buffer): EventFrame {
  const total = message.readUInt32BE(0);
  const headersLength = message.readUInt32BE(4);
  if (crc32(message.subarray(0, 8)) !== message.readUInt32BE(8)) throw new EventStreamError('the prelude CRC of an event does not match (the answer was damaged)');
  if (headersLength > total - overheadBytes) throw new EventStreamError('an event says its headers are longer than the event');
  if (crc32(message.subarray(0, total - 4)) !== message.readUInt32BE(total - 4)) throw new EventStreamError('the message CRC of an event does not match (the answer was damaged)');
  return {
    headers: readHeaders(message.subarray(preludeBytes, preludeBytes + headersLength)),
    payload: Buffer.from(message.subarray(preludeBytes + headersLength, total - 4)),
  };
}

/**
 * Cuts a byte stream into frames, whatever the network chunking: bytes are kept until a whole message arrived.
 * After a damaged frame the reader stays failed (the byte boundaries after it cannot be trusted).
 */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);
  #failed: EventStreamError | undefined;

  push(chunk: Buffer): EventFrame[] {
    if (this.#failed) throw this.#failed;
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: EventFrame[] = [];
    try {
      while (this.#pending.length >= preludeBytes) {
        const total = this.#pending.readUInt32BE(0);
        // The prelude is checked before its length is trusted, so a damaged length cannot make the reader wait.
        if (crc32(this.#pending.subarray(0, 8)) !== this.#pending.readUInt32BE(8)) throw new EventStreamError('the prelude CRC of an event does not match (the answer was damaged)');
        if (total < overheadBytes || total > maxFrameBytes) throw new EventStreamError(`an event claims a length of ${total} bytes`);
        if (this.#pending.length < total) break;
        frames.push(decodeFrame(this.#pending.subarray(0, total)));
        this.#pending = this.#pending.subarray(total);
      }
    } catch (error) {
      this.#failed = error instanceof EventStreamError ? error : new EventStreamError(String(error));
      this.#pending = Buffer.alloc(0);
      throw this.#failed;
    }
    return frames;
  }

  /** Bytes of an unfinished frame: non-zero at the end of the stream means the answer was cut off. */
  get pendingBytes(): number {
    return this.#pending.length;
  }
}

export function headerText(frame: EventFrame, name: string): string | undefined {
  const value = frame.headers[name];
  return typeof value === 'string' ? value : undefined;
}
