import { Observable } from 'rxjs';
import type { EventStore } from '../../../core/event-store/event-store.port';
import { COMPLAINT_STREAM_PREFIX } from '../../domain/complaint.decider';

/** The cases touched by the log's events after a position, and the position they were read up to. */
export interface CasesTouched {
  readonly caseIds: readonly string[];
  readonly position: number;
}

const BATCH = 500;

/**
 * Each batch of cases the log's new events touch, after `afterPosition`: woken by the store, it reads the log from the
 * last position reported, so no change is skipped or reported twice. The subscriber decides what a touch means to it.
 */
export function casesTouched$(store: EventStore, afterPosition: number): Observable<CasesTouched> {
  return new Observable<CasesTouched>((subscriber) => {
    let after = afterPosition;
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
          for (;;) {
            const events = await store.readAll({ after, maxCount: BATCH });
            if (events.length === 0 || subscriber.closed) break;
            const caseIds = new Set<string>();
            for (const event of events)
              if (event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) caseIds.add(event.streamName.slice(COMPLAINT_STREAM_PREFIX.length));
            after = events[events.length - 1].position;
            if (caseIds.size > 0) subscriber.next({ caseIds: [...caseIds], position: after });
            if (events.length < BATCH) break;
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
