import { join } from 'node:path';
import type { CoreSettings } from '../settings';
import { EsdbEventStore } from './esdb-event-store';
import type { EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * The event store the configuration asks for: EventStoreDB when EVENTSTORE_URL is set, else the embedded SQLite log under DATA_DIR.
 * `streamPrefixes` name the application's streams, one prefix per stream kind: its part of EventStoreDB's $all, which also
 * holds system events and possibly other applications'.
 */
export function openEventStore(config: CoreSettings, streamPrefixes: readonly string[]): EventStore {
  if (config.eventStoreUrl) return new EsdbEventStore(config.eventStoreUrl, { streamPrefixes });
  return new SqliteEventStore(join(config.dataDir, 'events.db'));
}
