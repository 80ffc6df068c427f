import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CORE_SETTINGS, type CoreSettings } from '../settings';
import type { DomainEvent } from '../decider';
import { EVENT_STORE, EventStore } from './event-store.port';
import { openEventStore } from './open-event-store';
import { EventCatalogue, UpcastingEventStore } from './upcasting-event-store';

/**
 * The stored bytes, for audit verification only; everything else reads EVENT_STORE (upcast, typed payloads).
 * With `sealOnAppend`, it is the sealing decorator around the adapter: reads still give the bytes as stored.
 */
export const RAW_EVENT_STORE = Symbol('RawEventStore');

export interface EventStoreOptions<E extends DomainEvent> {
  /** Every event type of every stream kind, with its upcasters. */
  readonly catalogue: EventCatalogue<E>;
  /** The prefix of each stream kind's streams: the application's part of a shared EventStoreDB. */
  readonly streamPrefixes: readonly string[];
  /**
   * Wraps the adapter before anything else sees it, e.g. to encrypt fields on append: the adapter then hashes and
   * stores what the wrapper hands it. Reads through the wrapper must give the stored events unchanged.
   */
  readonly sealOnAppend?: (raw: EventStore) => EventStore;
}

/** Provides the event store chosen by configuration, seen through the application's event catalogue. */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(RAW_EVENT_STORE) private readonly store: EventStore) {}

  static forRoot<E extends DomainEvent>({ catalogue, streamPrefixes, sealOnAppend = (raw) => raw }: EventStoreOptions<E>): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: RAW_EVENT_STORE,
          inject: [CORE_SETTINGS],
          useFactory: (config: CoreSettings) => sealOnAppend(openEventStore(config, streamPrefixes)),
        },
        { provide: EVENT_STORE, inject: [RAW_EVENT_STORE], useFactory: (raw: EventStore) => new UpcastingEventStore(raw, catalogue) },
      ],
      exports: [EVENT_STORE, RAW_EVENT_STORE],
    };
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}
