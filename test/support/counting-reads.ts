import type { DomainEvent } from '../../src/core/decider';
import type { EventStore } from '../../src/core/event-store/event-store.port';
import type { CheckpointTables } from '../../src/core/projections/checkpoints';
import type { Projection } from '../../src/core/projections/projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../../src/core/projections/projection-runner';
import type { ReadStore } from '../../src/core/read-store/read-store';

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

/** Rebuilds `projection` alone as `redress rebuild` does (one shared pass); returns how many pages of the log it read. */
export async function rebuildCountingReads<E extends DomainEvent, DB extends CheckpointTables>(
  store: EventStore<E>,
  readStore: ReadStore<DB>,
  projection: Projection<NoInfer<E>, NoInfer<DB>>,
  options: ProjectionRunnerOptions<NoInfer<E>, NoInfer<DB>>,
): Promise<number> {
  const counted = countingReads(store);
  const runner = new ProjectionRunner(counted.store, readStore, projection, options);
  await ProjectionRunner.rebuildTogether([runner]);
  await runner.stop();
  return counted.reads();
}
