import { describe, expect, it } from 'vitest';
import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import { StreamSequencer } from './stream-sequencer.ts';

function run(events: CanonicalStreamEvent[], end: 'finish' | 'fail' | 'none' = 'finish'): CanonicalStreamEvent[] {
  const sequencer = new StreamSequencer();
  const out = events.flatMap((event) => sequencer.accept(event));
  if (end === 'finish') out.push(...sequencer.finish());
  if (end === 'fail') out.push(...sequencer.fail({ status: 502, message: 'reset' }));
  return out;
}

describe('StreamSequencer', () => {
  it('starts the message before the first block when the upstream never said so', () => {
    const out = run([{ type: 'block_start', index: 0, block: { kind: 'text' } }, { type: 'text_delta', index: 0, text: 'hi' }]);
    expect(out.map((event) => event.type)).toEqual(['message_start', 'block_start', 'text_delta', 'block_stop', 'message_stop']);
  });

  it('never passes on a stop, or a delta, for a block that was not started', () => {
    const out = run([
      { type: 'message_start' },
      { type: 'block_stop', index: 3 },
      { type: 'text_delta', index: 3, text: 'orphan' },
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_stop', index: 0 },
    ]);
    expect(out.map((event) => event.type)).toEqual(['message_start', 'block_start', 'block_stop', 'message_stop']);
  });

  it('closes an open block before the next one and before the end', () => {
    const out = run([
      { type: 'message_start' },
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
      { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'a', name: 'f', toolKind: 'function' } },
    ]);
    expect(out.map((event) => `${event.type}${'index' in event ? event.index : ''}`)).toEqual(['message_start', 'block_start0', 'block_stop0', 'block_start1', 'block_stop1', 'message_stop']);
    expect(out.at(-1)).toMatchObject({ stopReason: 'tool_use' });
  });

  it('emits exactly one terminal event and nothing after it', () => {
    const out = run([{ type: 'message_start' }, { type: 'message_stop', stopReason: 'end_turn' }, { type: 'text_delta', index: 0, text: 'late' }]);
    expect(out.filter((event) => event.type === 'message_stop')).toHaveLength(1);
    expect(out.at(-1)?.type).toBe('message_stop');
    const failed = run([{ type: 'message_start' }], 'fail');
    expect(failed.map((event) => event.type)).toEqual(['message_start', 'error']);
  });

  it('merges usage from every event into the terminal event', () => {
    const sequencer = new StreamSequencer();
    sequencer.accept({ type: 'message_start', usage: { inputTokens: 10 } });
    sequencer.accept({ type: 'usage', usage: { outputTokens: 3 } });
    const [stop] = sequencer.accept({ type: 'message_stop', stopReason: 'end_turn', usage: { outputTokens: 5 } });
    expect(stop).toMatchObject({ usage: { inputTokens: 10, outputTokens: 5 } });
    expect(sequencer.usage()).toEqual({ inputTokens: 10, outputTokens: 5 });
  });
});
