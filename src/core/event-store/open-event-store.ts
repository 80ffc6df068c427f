import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { EsdbEventStore } from './esdb-event-store';
import type { EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * The prefixes of the streams Redress writes (complaint-<caseId>, customer-<customerId>): its
 * part of EventStoreDB's $all, which also holds system events and possibly other applications'.
 * Kept in step with the deciders' stream names by open-event-store.spec.ts.
 */
export const REDRESS_STREAM_PREFIXES: readonly string[] = ['complaint-', 'customer-'];

/** The event store the configuration asks for: EventStoreDB when EVENTSTORE_URL is set, else the embedded SQLite log under DATA_DIR. */
export function openEventStore(config: AppConfig): EventStore {
  if (config.eventStoreUrl) return new EsdbEventStore(config.eventStoreUrl, { streamPrefixes: REDRESS_STREAM_PREFIXES });
  return new SqliteEventStore(join(config.dataDir, 'events.db'));
}
