import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import type { EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

/** The event store the configuration asks for: the embedded SQLite log under DATA_DIR. */
export function openEventStore(config: AppConfig): EventStore {
  return new SqliteEventStore(join(config.dataDir, 'events.db'));
}
