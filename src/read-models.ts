import { ledgerMigrations, ledgerProjection, type LedgerTables } from './audit/public';
import { caseViewProjection } from './complaints/public';
import { type CaseViewTables, caseViewMigrations, caseViewQueueMigrations } from './complaints/public';
import { type CaseTagTables, caseTagsMigrations, caseTagsProjection } from './complaints/public';
import type { CheckpointTables } from './core/projections/checkpoints';
import type { ReadModelsOptions } from './core/projections/projections.module';
import type { RedressEvent } from './event-schemas';
import { loyaltyFactsProjection } from './loyalty/public';
import { LoyaltyTables, loyaltyMigrations } from './loyalty/public';

/** Every table of the read store: each module's own, and the projection runner's checkpoints. */
export type ReadModelTables = CheckpointTables & CaseViewTables & CaseTagTables & LoyaltyTables & LedgerTables;

/** Every projection of Redress and the migrations of its tables: the service and the CLI both run these. */
export const READ_MODELS: ReadModelsOptions<RedressEvent, ReadModelTables> = {
  projections: [caseViewProjection, caseTagsProjection, loyaltyFactsProjection, ledgerProjection],
  migrations: { ...caseViewMigrations, ...caseViewQueueMigrations, ...caseTagsMigrations, ...loyaltyMigrations, ...ledgerMigrations },
};
