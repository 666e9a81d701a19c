import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';

/**
 * For stream decoders that build their events as literal arrays (sized exactly, so cheap): appends them to the
 * caller's `out` when one is given (StreamDecoder in codec.ts), or hands them back as they are.
 */
export function appendEvents(events: CanonicalStreamEvent[], out: CanonicalStreamEvent[] | undefined): CanonicalStreamEvent[] {
  if (out === undefined) return events;
  for (let index = 0; index < events.length; index++) out.push(events[index]!);
  return out;
}
