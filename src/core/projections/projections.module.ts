import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Migration } from 'kysely';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../clock';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore, migrateReadStore, openReadStore } from '../read-store/read-store';
import { checkpointMigrations } from './checkpoints';
import { Projection } from './projection';
import { PostgresAdvisoryLeadership } from './projection-leadership';
import { ProjectionRunner } from './projection-runner';
import { ProjectionsController } from './projections.controller';
import { ProjectionsService } from './projections.service';

export const projectionLockPath = (config: AppConfig) => join(config.dataDir, 'projections.lock');

export interface ReadModelsOptions {
  readonly projections: readonly Projection[];
  /** The read models' tables; names are prefixed so they apply in a stable order. */
  readonly migrations: Record<string, Migration>;
}

/** The read side: the read store (migrated at start), one runner per projection, and their operations API. */
@Global()
@Module({})
export class ProjectionsModule implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  static forRoot({ projections, migrations }: ReadModelsOptions): DynamicModule {
    return {
      module: ProjectionsModule,
      controllers: [ProjectionsController],
      providers: [
        {
          provide: READ_STORE,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            const store = await openReadStore({ url: config.readStoreUrl, schema: config.readStoreSchema, dataDir: config.dataDir });
            await migrateReadStore(store, { ...checkpointMigrations, ...migrations });
            return store;
          },
        },
        {
          provide: ProjectionsService,
          inject: [EVENT_STORE, READ_STORE, APP_CONFIG, CLOCK],
          useFactory: (store: EventStore, readStore: ReadStore, config: AppConfig, clock: Clock) => new ProjectionsService(
            new Map(projections.map((projection) => [
              projection.name,
              new ProjectionRunner(store, readStore, projection, {
                clock,
                batchSize: config.projectionBatchSize,
                // PostgreSQL read models may be shared by several instances: one runs each projection.
                leadership: readStore.dialect === 'postgres' && config.readStoreUrl
                  ? new PostgresAdvisoryLeadership({ url: config.readStoreUrl, schema: config.readStoreSchema, projection: projection.name })
                  : undefined,
              }),
            ])),
            {
              readWaitTimeoutMs: config.readWaitTimeoutMs,
              lockPath: readStore.dialect === 'sqlite' ? projectionLockPath(config) : undefined,
            },
          ),
        },
      ],
      exports: [READ_STORE, ProjectionsService],
    };
  }

  onApplicationShutdown(): Promise<void> {
    return this.readStore.close();
  }
}
