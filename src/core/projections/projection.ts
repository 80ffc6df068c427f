import type { DomainEvent } from '../decider';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Queryable } from '../read-store/read-store';

/**
 * A read model fed from the global log. The runner hands it the events of one batch inside a
 * read-store transaction that also moves its checkpoint, so a batch is applied exactly once.
 *
 * `E` is the events it can be given, `Tables` the tables it keeps. It runs in any read store that
 * has those tables among others: `trx` is typed as that whole database (`DB`), and the projection
 * sees its own tables through `narrowTables`.
 */
export interface Projection<E extends DomainEvent, Tables> {
  readonly name: string;
  /** Applies events in log order. Throwing stops the projection at that event (nothing is skipped). */
  apply<DB extends Tables>(trx: Queryable<DB>, events: readonly RecordedEvent<E>[]): Promise<void>;
  /** Empties the read model before a rebuild. */
  reset<DB extends Tables>(trx: Queryable<DB>): Promise<void>;
}

/** Thrown by `apply` to say which event could not be projected. */
export class ProjectionEventError extends Error {
  constructor(
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(`${event.type} at position ${event.position}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ProjectionEventError';
  }
}
