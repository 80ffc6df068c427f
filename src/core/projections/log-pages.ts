import type { DomainEvent } from '../decider';
import type { RecordedEvent } from '../event-store/event-store.port';
import { eventBreak } from '../event-store/hash-chain';
import { ProjectionEventError } from './projection';

/**
 * How long a live or catching-up batch is kept to, and the fewest events it takes. A batch holds the thread, so requests
 * queue behind it. Measured on the HTTP mix (session 6, the service side by side with itself, interleaved runs of 8 s,
 * quiet 2-core machine): batches of about 4 ms rather than 20 ms (at least 4 events rather than 25) took 987–1,202 req/s
 * rather than 582–902 at 64 connections (CPU per request 0.88–1.17 ms rather than 1.28–1.77) and 759–829 rather than
 * 541–775 at 16 (p99 36–44 ms rather than 42–95). Both the live loop's passes and a runner's own batches must be short:
 * with short live passes alone, 788–896 req/s at 64 connections.
 */
const TARGET_MS = 4;
const MIN_SIZE = 4;

/**
 * The size of the next batch: a batch on SQLite is read and applied without a pause, so the batch is sized to take
 * about `targetMs` from what events have cost so far (a moving average), never more than the configured size.
 * Requests wait at most about one batch, whatever a projection costs per event.
 */
export class BatchSlice {
  private readonly targetMs: number;
  /** Timings taken while requests interleave overstate the cost; a batch never shrinks below this. */
  private readonly minSize: number;
  private msPerEvent?: number;
  private fitting = 50;

  constructor({ targetMs = TARGET_MS, minSize = MIN_SIZE }: { readonly targetMs?: number; readonly minSize?: number } = {}) {
    this.targetMs = targetMs;
    this.minSize = minSize;
  }

  /** The next batch's size: what fits in `targetMs`, never more than `max` (the configured batch, or a rebuild's page). */
  upTo(max: number): number {
    return Math.min(max, this.fitting);
  }

  took(events: number, ms: number): void {
    if (events === 0) return;
    const cost = ms / events;
    this.msPerEvent = this.msPerEvent === undefined ? cost : 0.7 * this.msPerEvent + 0.3 * cost;
    this.fitting = Math.max(this.minSize, Math.floor(this.targetMs / Math.max(this.msPerEvent, 0.001)));
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
