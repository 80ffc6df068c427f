import { Observable } from 'rxjs';
import { complaintStreamName } from '../../complaints/public';
import type { DomainEvent } from '../../core/decider';
import type { EventStore, RecordedEvent } from '../../core/event-store/event-store.port';

/**
 * The case's events after `afterRevision`, then each new one as it is appended: woken by the
 * store, it reads the stream from the last revision sent, so nothing is skipped or repeated.
 */
export function caseEvents$<E extends DomainEvent>(
  store: EventStore<E>,
  caseId: string,
  afterRevision: number,
): Observable<RecordedEvent<E>> {
  return new Observable<RecordedEvent<E>>((subscriber) => {
    let sent = afterRevision;
    let reading = false;
    let again = false;
    const pump = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const events = await store.readStream(complaintStreamName(caseId), { fromRevision: sent + 1 });
          for (const event of events) {
            if (subscriber.closed) return;
            subscriber.next(event);
            sent = event.revision;
          }
        } while (again && !subscriber.closed);
      } catch (error) {
        subscriber.error(error);
      } finally {
        reading = false;
      }
    };
    const unsubscribe = store.onAppended(() => void pump());
    void pump();
    return unsubscribe;
  });
}
