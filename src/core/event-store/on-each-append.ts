import { Observable, type Subscriber } from 'rxjs';
import type { EventStore } from './event-store.port';

/**
 * An Observable that drains at once and again whenever the store reports an append, one drain at a time: an append
 * that arrives mid-drain makes it drain once more, so nothing appended is missed. `startDrain` is called per
 * subscription and returns that subscription's drain (which keeps its own position).
 */
export function onEachAppend$<T>(
  store: Pick<EventStore, 'onAppended'>,
  startDrain: () => (subscriber: Subscriber<T>) => Promise<void>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const drain = startDrain();
    let draining = false;
    let again = false;
    const pump = async (): Promise<void> => {
      if (draining) {
        again = true;
        return;
      }
      draining = true;
      try {
        do {
          again = false;
          await drain(subscriber);
        } while (again && !subscriber.closed);
      } catch (error) {
        subscriber.error(error);
      } finally {
        draining = false;
      }
    };
    const unsubscribe = store.onAppended(() => void pump());
    void pump();
    return unsubscribe;
  });
}
