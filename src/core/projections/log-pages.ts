import type { DomainEvent } from '../decider';
import type { RecordedEvent } from '../event-store/event-store.port';
import { eventBreak } from '../event-store/hash-chain';
import { ProjectionEventError } from './projection';

/**
 * The size of the next batch: a batch on SQLite is read and applied without a pause, so the batch is sized to take
 * about TARGET_MS from what events have cost so far (a moving average), never more than the configured size.
 * Requests wait at most about one batch, whatever a projection costs per event.
 */
export class BatchSlice {
  private static readonly TARGET_MS = 20;
  /** Timings taken while requests interleave overstate the cost; a batch never shrinks below this. */
  private static readonly MIN_SIZE = 25;
  private msPerEvent?: number;
  private fitting = 50;

  /** The next batch's size: what fits in TARGET_MS, never more than `max` (the configured batch, or a rebuild's page). */
  upTo(max: number): number {
    return Math.min(max, this.fitting);
  }

  took(events: number, ms: number): void {
    if (events === 0) return;
    const cost = ms / events;
    this.msPerEvent = this.msPerEvent === undefined ? cost : 0.7 * this.msPerEvent + 0.3 * cost;
    this.fitting = Math.max(BatchSlice.MIN_SIZE, Math.floor(BatchSlice.TARGET_MS / Math.max(this.msPerEvent, 0.001)));
  }
}

/** The events before the first one that does not hash to its recorded hash, and that one's error; each event hashed once. */
export function untilBroken<E extends DomainEvent>(
  events: RecordedEvent<E>[],
): { sound: RecordedEvent<E>[]; broken?: ProjectionEventError } {
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    const reason = eventBreak(event);
    if (reason !== undefined)
      return {
        sound: events.slice(0, index),
        broken: new ProjectionEventError(event, new Error(`${event.streamName} revision ${event.revision}: ${reason}`)),
      };
  }
  return { sound: events };
}
