import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { openEventStore } from '../core/event-store/open-event-store';
import { readCheckpoint, type CheckpointTables } from '../core/projections/checkpoints';
import { openReadStore } from '../core/read-store/read-store';
import { REDRESS_STREAM_PREFIXES } from '../event-schemas';
import { READ_MODELS } from '../read-models';

export interface StoredProjectionStatus {
  readonly name: string;
  /** Global position of the last event applied, as the read store records it. */
  readonly checkpoint: number;
  readonly headPosition: number;
  /** Events in the log the projection has not applied. */
  readonly behind: number;
  /** Where it stopped, when it stopped on an event it could not apply. */
  readonly failure?: { readonly position: number; readonly error: string };
  readonly updatedAt?: string;
}

/**
 * `redress projections status`: each read model's checkpoint against the log's head, read from the stores
 * (the service may be running or not; nothing is written). Returns false when a projection stopped on a failure.
 */
export async function projectionsStatus(config: AppConfig): Promise<StoredProjectionStatus[]> {
  if (!config.readStoreUrl && !existsSync(join(config.dataDir, 'read-models.db'))) {
    throw new Error(`No read store in ${config.dataDir}: start the service (or run redress rebuild) first.`);
  }
  const store = openEventStore(config, REDRESS_STREAM_PREFIXES);
  const readStore = await openReadStore<CheckpointTables>({
    url: config.readStoreUrl,
    schema: config.readStoreSchema,
    dataDir: config.dataDir,
  });
  try {
    const headPosition = await store.headPosition();
    return await Promise.all(
      READ_MODELS.projections.map(async ({ name }): Promise<StoredProjectionStatus> => {
        const row = await readCheckpoint(readStore.db, name);
        const checkpoint = row?.position ?? 0;
        return {
          name,
          checkpoint,
          headPosition,
          behind: await store.countEventsAfter(checkpoint),
          ...(row?.failed_position != null ? { failure: { position: row.failed_position, error: row.error ?? '' } } : {}),
          ...(row ? { updatedAt: row.updated_at } : {}),
        };
      }),
    );
  } finally {
    await readStore.close();
    await store.close();
  }
}

export function formatProjectionsStatus(statuses: readonly StoredProjectionStatus[]): string {
  const width = Math.max(...statuses.map((status) => status.name.length), 'projection'.length);
  const lines = statuses.map(
    (status) =>
      `${status.name.padEnd(width)}  ${String(status.checkpoint).padStart(10)}  ${String(status.behind).padStart(8)}  ${
        status.failure ? `FAILED at ${status.failure.position}: ${status.failure.error}` : status.behind === 0 ? 'up to date' : 'behind'
      }`,
  );
  return [`${'projection'.padEnd(width)}  ${'checkpoint'.padStart(10)}  ${'behind'.padStart(8)}  state`, ...lines].join('\n');
}
