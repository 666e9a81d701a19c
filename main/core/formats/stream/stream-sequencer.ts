// Keeps the canonical event sequence well-formed whatever the upstream did:
// - `message_start` comes first (synthesized when the upstream's own start event was missing);
// - one block is open at a time; a block is started before its deltas and stopped before the next block starts;
// - a stop without a start is never passed on (stray block_stop / deltas for unknown blocks are dropped);
// - exactly one terminal event: `message_stop` (also synthesized on upstream EOF) or `error`;
// - usage from every event is merged, so the terminal event and `usage()` carry the latest totals.
import type { CanonicalStreamError, CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import { hasUsage, mergeUsage, type CanonicalStopReason, type CanonicalUsage } from '../canonical/canonical-response.ts';

export class StreamSequencer {
  private started = false;
  private finished = false;
  private openIndex: number | undefined;
  private readonly seenBlocks = new Set<number>();
  private sawToolCall = false;
  private mergedUsage: CanonicalUsage = {};
  private stopReason: CanonicalStopReason | undefined;

  get isFinished(): boolean {
    return this.finished;
  }

  usage(): CanonicalUsage | undefined {
    return hasUsage(this.mergedUsage) ? { ...this.mergedUsage } : undefined;
  }

  /**
   * The events to pass on for `event`, appended to `out` (which is returned). The translator hands in one array for
   * the whole stream, so the hot path makes no array per event; without it a new one is made.
   */
  accept(event: CanonicalStreamEvent, out: CanonicalStreamEvent[] = []): CanonicalStreamEvent[] {
    if (this.finished) return out;
    if (event.type !== 'message_start' && event.type !== 'error') this.ensureStarted(out);
    switch (event.type) {
      case 'message_start':
        if (this.started) {
          if (event.usage) this.mergedUsage = mergeUsage(this.mergedUsage, event.usage);
          return out;
        }
        this.started = true;
        this.mergedUsage = mergeUsage(this.mergedUsage, event.usage);
        out.push(event);
        return out;
      case 'block_start':
        if (this.seenBlocks.has(event.index)) return out;
        this.closeOpenBlock(out);
        this.seenBlocks.add(event.index);
        this.openIndex = event.index;
        if (event.block.kind === 'tool_call') this.sawToolCall = true;
        out.push(event);
        return out;
      case 'text_delta':
      case 'reasoning_delta':
      case 'tool_arguments_delta':
      case 'signature':
        if (event.index === this.openIndex) out.push(event);
        return out;
      case 'block_stop':
        if (event.index === this.openIndex) this.closeOpenBlock(out);
        return out;
      case 'usage':
        this.mergedUsage = mergeUsage(this.mergedUsage, event.usage);
        out.push({ type: 'usage', usage: { ...this.mergedUsage } });
        return out;
      case 'message_stop':
        this.stopReason = event.stopReason;
        this.mergedUsage = mergeUsage(this.mergedUsage, event.usage);
        this.closeOpenBlock(out);
        out.push({ ...event, usage: { ...this.mergedUsage } });
        this.finished = true;
        return out;
      case 'error':
        this.finished = true;
        out.push(event);
        return out;
    }
  }

  /** The upstream ended. Emits whatever terminal events are still owed. */
  finish(): CanonicalStreamEvent[] {
    if (this.finished) return [];
    const stopReason = this.stopReason ?? (this.sawToolCall ? 'tool_use' : 'end_turn');
    return this.accept({ type: 'message_stop', stopReason });
  }

  /** The upstream failed mid-stream: the client gets its format's error event. */
  fail(error: CanonicalStreamError): CanonicalStreamEvent[] {
    return this.accept({ type: 'error', error });
  }

  private ensureStarted(out: CanonicalStreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    out.push({ type: 'message_start' });
  }

  private closeOpenBlock(out: CanonicalStreamEvent[]): void {
    if (this.openIndex === undefined) return;
    out.push({ type: 'block_stop', index: this.openIndex });
    this.openIndex = undefined;
  }
}
