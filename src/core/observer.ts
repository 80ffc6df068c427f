import { DomainRuleViolation, StaleRevisionError } from './errors';
import { WrongExpectedRevisionError, type EventStore } from './event-store/event-store.port';
import { inSpan, rememberAppendSpan } from './tracing';

/** How a command ended: appended, answered from its first run, refused by a rule, refused for a revision that moved, or failed. */
export type CommandOutcome = 'committed' | 'replayed' | 'rule_refused' | 'conflict' | 'failed';

/**
 * What the framework tells operations about its work, as it happens: the metrics implement it
 * (src/observability). Called from a few places only (the command handler, the event store's
 * append, the read-your-writes wait, the live streams); every method must be cheap and never throw.
 */
export interface CoreObserver {
  commandHandled(commandType: string, outcome: CommandOutcome, seconds: number): void;
  eventsAppended(events: number, seconds: number): void;
  readWaited(projection: string, reached: boolean, seconds: number): void;
  liveStreamOpened(): void;
  liveStreamClosed(): void;
}

export const CORE_OBSERVER = Symbol('CoreObserver');

export const UNOBSERVED: CoreObserver = {
  commandHandled: () => undefined,
  eventsAppended: () => undefined,
  readWaited: () => undefined,
  liveStreamOpened: () => undefined,
  liveStreamClosed: () => undefined,
};

export function commandOutcomeOf(error: unknown): CommandOutcome {
  if (error instanceof DomainRuleViolation) return 'rule_refused';
  if (error instanceof StaleRevisionError || error instanceof WrongExpectedRevisionError) return 'conflict';
  return 'failed';
}

/** Seconds since `startedAt` (a `process.hrtime.bigint()`). */
export function secondsSince(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}

/** The event store, its appends timed, counted and traced (whatever adapter, and however it batches them inside). */
export function observeAppends<Store extends EventStore>(store: Store, observer: CoreObserver): Store {
  const observedAppend = (...args: Parameters<EventStore['appendToStream']>) =>
    inSpan(
      'event-store append',
      () => ({ 'redress.stream': args[0], 'redress.events': args[1].length }),
      async () => {
        const startedAt = process.hrtime.bigint();
        const result = await store.appendToStream(...args);
        observer.eventsAppended(args[1].length, secondsSince(startedAt));
        rememberAppendSpan(args[1]);
        return result;
      },
    );
  // Every read of the command path comes through here: each method is bound once, not on every call.
  const bound = new WeakMap<object, unknown>();
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendToStream') return observedAppend;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(value);
      if (!method) bound.set(value, (method = value.bind(target)));
      return method;
    },
  });
}
