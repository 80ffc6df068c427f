import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EVENT_STORE, EventStore } from './event-store.port';
import { openEventStore } from './open-event-store';

/** Provides the event store chosen by configuration (the embedded SQLite log for now). */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [{
        provide: EVENT_STORE,
        inject: [APP_CONFIG],
        useFactory: openEventStore,
      }],
      exports: [EVENT_STORE],
    };
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}
