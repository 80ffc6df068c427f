import { join } from 'node:path';
import type { CoreSettings } from '../settings';
import type { EsdbEventStore } from './esdb-event-store';
import type { EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * The event store the configuration asks for: EventStoreDB when EVENTSTORE_URL is set, else the embedded SQLite log under DATA_DIR.
 * `streamPrefixes` name the application's streams, one prefix per stream kind: its part of EventStoreDB's $all, which also
 * holds system events and possibly other applications'.
 */
export function openEventStore(config: CoreSettings, streamPrefixes: readonly string[]): EventStore {
  if (config.eventStoreUrl) {
    // Loaded only when asked for: its gRPC client (about 20 MB loaded alone) is of no use to the embedded profile.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous factory: `import()` would make every caller async
    const { EsdbEventStore: Store } = require('./esdb-event-store') as { EsdbEventStore: typeof EsdbEventStore };
    return new Store(config.eventStoreUrl, { streamPrefixes });
  }
  return new SqliteEventStore(join(config.dataDir, 'events.db'));
}
