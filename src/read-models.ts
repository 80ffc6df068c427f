import type { ReadModelsOptions } from './core/projections/projections.module';
import { caseViewMigrations, caseViewProjection } from './complaints/projections/case-view/case-view.projection';
import { loyaltyFactsProjection } from './loyalty/projection/loyalty-facts.projection';
import { loyaltyMigrations } from './loyalty/projection/loyalty-facts.tables';

/** Every projection of Redress and the migrations of its tables: the service and the CLI both run these. */
export const READ_MODELS: ReadModelsOptions = {
  projections: [caseViewProjection, loyaltyFactsProjection],
  migrations: { ...caseViewMigrations, ...loyaltyMigrations },
};
