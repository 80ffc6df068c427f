/** What other modules may use of the loyalty module; everything else in it is its own business. */
export * from './headless';
export { LoyaltyModule } from './loyalty.module';
export type { LoyaltyRow } from './queries/loyalty-outcomes/loyalty-outcomes.compute';
export type { LoyaltyOutcomes } from './queries/loyalty-outcomes/loyalty-outcomes.query';
export type { SystemicIssues } from './queries/systemic-issues/systemic-issues.query';
