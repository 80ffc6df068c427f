import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Migration } from 'kysely';
import { CORE_SETTINGS, type CoreSettings } from '../settings';
import { CLOCK, Clock } from '../clock';
import type { DomainEvent } from '../decider';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore, migrateReadStore, openReadStore } from '../read-store/read-store';
import { CheckpointTables, checkpointMigrations } from './checkpoints';
import { LiveCatchUp } from './live-catch-up';
import { Projection } from './projection';
import { PostgresAdvisoryLeadership } from './projection-leadership';
import { ProjectionRunner } from './projection-runner';
import { projectionLockPath } from './process-lock';
import { ProjectionsController, documentProjectionNameExample } from './projections.controller';
import { ProjectionsService } from './projections.service';
import { CORE_OBSERVER, type CoreObserver } from '../observer';

/** The application's read models: projections of its events (`E`) into its read store's tables (`DB`). */
export interface ReadModelsOptions<E extends DomainEvent, DB extends CheckpointTables> {
  readonly projections: readonly Projection<E, DB>[];
  /** The read models' tables; names are prefixed so they apply in a stable order. */
  readonly migrations: Record<string, Migration>;
}

/** The read side: the read store (migrated at start), one runner per projection, and their operations API. */
@Global()
@Module({})
export class ProjectionsModule implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore<unknown>) {}

  static forRoot<E extends DomainEvent, DB extends CheckpointTables>({ projections, migrations }: ReadModelsOptions<E, DB>): DynamicModule {
    if (projections[0]) documentProjectionNameExample(projections[0].name);
    return {
      module: ProjectionsModule,
      controllers: [ProjectionsController],
      providers: [
        {
          provide: READ_STORE,
          inject: [CORE_SETTINGS],
          useFactory: async (config: CoreSettings) => {
            const store = await openReadStore<DB>({
              url: config.readStoreUrl,
              schema: config.readStoreSchema,
              dataDir: config.dataDir,
              timeouts: config.readStoreTimeouts,
            });
            await migrateReadStore(store, { ...checkpointMigrations, ...migrations });
            return store;
          },
        },
        {
          provide: ProjectionsService,
          inject: [EVENT_STORE, READ_STORE, CORE_SETTINGS, CLOCK, { token: CORE_OBSERVER, optional: true }],
          useFactory: (store: EventStore<E>, readStore: ReadStore<DB>, config: CoreSettings, clock: Clock, observer?: CoreObserver) => {
            // Live projections are caught up together: each new event read, hash-checked and committed once for all.
            const liveCatchUp = new LiveCatchUp(store, readStore, {
              batchSize: config.projectionBatchSize,
              passIntervalMs: config.projectionPassIntervalMs,
            });
            return new ProjectionsService(
              new Map(
                projections.map((projection) => [
                  projection.name,
                  new ProjectionRunner(store, readStore, projection, {
                    clock,
                    batchSize: config.projectionBatchSize,
                    liveCatchUp,
                    // PostgreSQL read models may be shared by several instances: one runs each projection.
                    leadership:
                      readStore.dialect === 'postgres' && config.readStoreUrl
                        ? new PostgresAdvisoryLeadership({
                            url: config.readStoreUrl,
                            schema: config.readStoreSchema,
                            projection: projection.name,
                            timeouts: config.readStoreTimeouts,
                          })
                        : undefined,
                  }),
                ]),
              ),
              {
                readWaitTimeoutMs: config.readWaitTimeoutMs,
                lockPath: readStore.dialect === 'sqlite' ? projectionLockPath(config) : undefined,
              },
              observer,
            );
          },
        },
      ],
      exports: [READ_STORE, ProjectionsService],
    };
  }

  onApplicationShutdown(): Promise<void> {
    return this.readStore.close();
  }
}
