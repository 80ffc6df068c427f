/** What other modules may use of the loyalty module; everything else in it is its own business. */
export { LoyaltyModule } from './loyalty.module';
export { loyaltyFactsProjection } from './projection/loyalty-facts.projection';
export { loyaltyMigrations, type LoyaltyTables } from './projection/loyalty-facts.tables';
export type { LoyaltyRow } from './queries/loyalty-outcomes/loyalty-outcomes.compute';
export { LOYALTY_GROUP_BY } from './queries/loyalty-outcomes/loyalty-outcomes.compute';
export type { LoyaltyOutcomes } from './queries/loyalty-outcomes/loyalty-outcomes.query';
export type { SystemicIssues } from './queries/systemic-issues/systemic-issues.query';
