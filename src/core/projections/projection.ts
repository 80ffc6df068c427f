import type { Transaction } from 'kysely';
import type { RecordedEvent } from '../event-store/event-store.port';

/**
 * A read model fed from the global log. The runner hands it the events of one batch inside a
 * read-store transaction that also moves its checkpoint, so a batch is applied exactly once.
 */
export interface Projection {
  readonly name: string;
  /** Applies events in log order. Throwing stops the projection at that event (nothing is skipped). */
  apply(trx: Transaction<any>, events: readonly RecordedEvent[]): Promise<void>;
  /** Empties the read model before a rebuild. */
  reset(trx: Transaction<any>): Promise<void>;
}

/** Thrown by `apply` to say which event could not be projected. */
export class ProjectionEventError extends Error {
  constructor(readonly event: RecordedEvent, override readonly cause: unknown) {
    super(`${event.type} at position ${event.position}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ProjectionEventError';
  }
}
