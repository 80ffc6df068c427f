import type { Observable } from 'rxjs';
import { complaintStreamName } from '../../complaints/public';
import type { DomainEvent } from '../../core/decider';
import type { EventStore, RecordedEvent } from '../../core/event-store/event-store.port';
import { onEachAppend$ } from '../../core/event-store/on-each-append';

/**
 * The case's events after `afterRevision`, then each new one as it is appended: woken by the
 * store, it reads the stream from the last revision sent, so nothing is skipped or repeated.
 */
export function caseEvents$<E extends DomainEvent>(
  store: EventStore<E>,
  caseId: string,
  afterRevision: number,
): Observable<RecordedEvent<E>> {
  return onEachAppend$<RecordedEvent<E>>(store, () => {
    let sent = afterRevision;
    return async (subscriber) => {
      const events = await store.readStream(complaintStreamName(caseId), { fromRevision: sent + 1 });
      for (const event of events) {
        if (subscriber.closed) return;
        subscriber.next(event);
        sent = event.revision;
      }
    };
  });
}
