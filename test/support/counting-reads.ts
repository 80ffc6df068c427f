import type { EventStore } from '../../src/core/event-store/event-store.port';

/**
 * `store` with its `readAll` calls counted: a rebuild's shared pass reads each page of the log once, so a count above
 * ceil(head / page size) says a transaction it could not commit was read again by each runner alone.
 */
export function countingReads<S extends EventStore>(store: S): { store: S; reads: () => number } {
  let reads = 0;
  const counted = new Proxy(store, {
    get: (target, property) =>
      property === 'readAll'
        ? (...args: Parameters<EventStore['readAll']>) => (reads++, target.readAll(...args))
        : (Reflect.get(target, property) as unknown),
  });
  return { store: counted, reads: () => reads };
}
