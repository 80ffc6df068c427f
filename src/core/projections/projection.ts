import type { DomainEvent } from '../decider';
import type { RecordedEvent } from '../event-store/event-store.port';
import { StoredEventError } from '../event-store/upcasting-event-store';
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
  /**
   * Optional: the projection's work over several batches of one transaction (a rebuild's), holding what it evolved between
   * them and writing it once, at `flush`. Without it, each batch is applied on its own (see `sessionOf`). `heldDocuments`:
   * how many documents it may hold between batches at most (HELD_DOCUMENTS unless a runner says otherwise).
   */
  session?<DB extends Tables>(trx: Queryable<DB>, heldDocuments?: number): ProjectionSession<E>;
}

/**
 * Batches applied in log order within one transaction, whose writes may wait for `flush`: a row that several batches
 * change is read and written once rather than once per batch. `flush` must come before the transaction commits.
 */
export interface ProjectionSession<E extends DomainEvent> {
  apply(events: readonly RecordedEvent<E>[]): Promise<void>;
  flush(): Promise<void>;
}

/** The projection's session over `trx`, or, for one that has none, each batch applied as it comes. */
export function sessionOf<E extends DomainEvent, Tables, DB extends Tables>(
  projection: Projection<E, Tables>,
  trx: Queryable<DB>,
  heldDocuments?: number,
): ProjectionSession<E> {
  if (projection.session) return projection.session(trx, heldDocuments);
  return { apply: (events) => projection.apply(trx, events), flush: () => Promise.resolve() };
}

/** `apply` of a projection that has a session: one session for the one batch. */
export async function applyInOneSession<E extends DomainEvent>(
  session: ProjectionSession<E>,
  events: readonly RecordedEvent<E>[],
): Promise<void> {
  await session.apply(events);
  await session.flush();
}

/** Thrown by `apply` to say which event could not be projected. */
export class ProjectionEventError extends Error {
  constructor(
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(`${event.type} at position ${event.position}: ${describe(cause)}`);
    this.name = 'ProjectionEventError';
  }
}

function describe(cause: unknown): string {
  if (cause instanceof StoredEventError) return cause.withoutPosition;
  return cause instanceof Error ? cause.message : String(cause);
}
