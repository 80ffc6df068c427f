import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EVENT_STORE, EventStore } from './event-store.port';
import { openEventStore } from './open-event-store';
import { UpcasterRegistry, UpcastingEventStore } from './upcasting-event-store';

/** The stored bytes, for audit verification only; everything else reads EVENT_STORE (upcast payloads). */
export const RAW_EVENT_STORE = Symbol('RawEventStore');

/** Provides the event store chosen by configuration, seen through the upcasters. */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(RAW_EVENT_STORE) private readonly store: EventStore) {}

  static forRoot({ upcasters }: { upcasters: UpcasterRegistry }): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: RAW_EVENT_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openEventStore(config) },
        { provide: EVENT_STORE, inject: [RAW_EVENT_STORE], useFactory: (raw: EventStore) => new UpcastingEventStore(raw, upcasters) },
      ],
      exports: [EVENT_STORE, RAW_EVENT_STORE],
    };
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}
