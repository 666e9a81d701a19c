// A bounded copy of bytes passing by: the request log keeps at most `cap` bytes of each part of an entry and only
// counts the rest. Buffers are kept by reference (the HTTP stack hands out fresh ones and never reuses them), so
// logging a stream costs an array push per chunk until the cap, then an addition.
export class BoundedBytes {
  private readonly parts: (Buffer | string)[] = [];
  private kept = 0;
  /** Bytes that arrived after the cap was reached. */
  omitted = 0;

  private readonly cap: number;

  constructor(cap: number) {
    this.cap = cap;
  }

  push(chunk: Buffer | Uint8Array | string): void {
    const length = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    const room = this.cap - this.kept;
    if (length <= room) {
      this.parts.push(typeof chunk === 'string' || Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.kept += length;
      return;
    }
    if (room > 0) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.parts.push(Buffer.from(bytes.subarray(0, room))); // a copy: the cut is all that stays
      this.kept += room;
    }
    this.omitted += length - Math.max(0, room);
  }

  get size(): number {
    return this.kept;
  }

  /** The kept bytes as text (a character cut by the cap shows as U+FFFD). */
  text(): string {
    return Buffer.concat(this.parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))).toString('utf8');
  }
}
