import type { Observable } from 'rxjs';
import { onEachAppend$ } from '../../../core/event-store/on-each-append';
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
  return onEachAppend$<CasesTouched>(store, () => {
    let after = afterPosition;
    return async (subscriber) => {
      for (;;) {
        const events = await store.readAll({ after, maxCount: BATCH });
        if (events.length === 0 || subscriber.closed) return;
        const caseIds = new Set<string>();
        for (const event of events)
          if (event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) caseIds.add(event.streamName.slice(COMPLAINT_STREAM_PREFIX.length));
        after = events[events.length - 1].position;
        if (caseIds.size > 0) subscriber.next({ caseIds: [...caseIds], position: after });
        if (events.length < BATCH) return;
      }
    };
  });
}
