import type { DomainEvent } from '../decider';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  KnownHead,
  LiveSubscriptionStatus,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Unsubscribe,
} from './event-store.port';

/**
 * A store wrapped around another (`inner`) that changes how events go in and come out, and passes everything else
 * (positions, notifications, known heads, closing) straight through.
 */
export abstract class EventStoreDecorator<E extends DomainEvent = DomainEvent> implements EventStore<E> {
  constructor(readonly inner: EventStore) {}

  abstract appendToStream(
    streamName: string,
    events: readonly NewEvent<E>[],
    expectedRevision?: ExpectedRevision,
  ): Promise<AppendResult<E>>;
  abstract readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent<E>[]>;
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent<E>[]>;
  abstract findEventById(id: string): Promise<RecordedEvent<E> | undefined>;

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  countEventsAfter(position: number): Promise<number> {
    return this.inner.countEventsAfter(position);
  }

  onAppended(listener: (lastPosition: number) => void): Unsubscribe {
    return this.inner.onAppended(listener);
  }

  subscriptionStatus(): LiveSubscriptionStatus | undefined {
    return this.inner.subscriptionStatus?.();
  }

  knownHead(streamName: string): KnownHead | undefined {
    return this.inner.knownHead?.(streamName);
  }

  get readsHoldThread(): boolean | undefined {
    return this.inner.readsHoldThread;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
