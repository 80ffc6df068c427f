import { ledgerMigrations, ledgerProjection, type LedgerTables } from './audit/headless';
import { caseViewProjection } from './complaints/headless';
import { type CaseViewTables, caseViewMigrations } from './complaints/headless';
import { type CaseTagTables, caseTagsMigrations, caseTagsProjection } from './complaints/headless';
import { type CaseSearchTables, type OpenText, caseSearchMigrations, caseSearchProjection } from './complaints/headless';
import { type AttachmentReferenceTables, attachmentReferencesMigrations, attachmentReferencesProjection } from './complaints/headless';
import { idempotencyKeyMigrations, type IdempotencyKeyTables } from './core/commands/idempotency-keys';
import type { CheckpointTables } from './core/projections/checkpoints';
import type { ReadModelsOptions } from './core/projections/projections.module';
import type { RedressEvent } from './event-schemas';
import { type CustomerVulnerabilityTables, customerVulnerabilityMigrations, customerVulnerabilityProjection } from './customers/headless';
import { loyaltyFactsProjection } from './loyalty/headless';
import { LoyaltyTables, loyaltyMigrations } from './loyalty/headless';
import { ERASED, UNREADABLE, isSealed, type PersonalDataProtection } from './privacy/headless';

/** Every table of the read store: each module's own, and the projection runner's checkpoints. */
export type ReadModelTables = CheckpointTables &
  CaseViewTables &
  CaseTagTables &
  CaseSearchTables &
  CustomerVulnerabilityTables &
  AttachmentReferenceTables &
  LoyaltyTables &
  LedgerTables &
  IdempotencyKeyTables;

/**
 * Every projection of Redress and the migrations of its tables: the service and the CLI both run these. The search index
 * holds the customer's words in the clear while their key lives: `openText` opens a sealed field (the composition gives it
 * the privacy module's opener); without one, sealed fields are left out of the index.
 */
export function readModels(openText: OpenText = openTextWith(undefined)): ReadModelsOptions<RedressEvent, ReadModelTables> {
  return {
    projections: [
      caseViewProjection,
      caseTagsProjection,
      loyaltyFactsProjection,
      ledgerProjection,
      caseSearchProjection(openText),
      customerVulnerabilityProjection,
      attachmentReferencesProjection,
    ],
    migrations: {
      ...caseViewMigrations,
      ...caseTagsMigrations,
      ...caseSearchMigrations,
      ...customerVulnerabilityMigrations,
      ...attachmentReferencesMigrations,
      ...loyaltyMigrations,
      ...ledgerMigrations,
      // The read store is also where Idempotency-Keys are bound: the one database every instance shares.
      ...idempotencyKeyMigrations,
    },
  };
}

/** The read models without the search index's opener: for tests and tools that only need the tables. */
export const READ_MODELS: ReadModelsOptions<RedressEvent, ReadModelTables> = readModels();

/** A field as the search may index it: plain text as it is, a sealed one opened while its key lives, else nothing. */
export function openTextWith(personalData: PersonalDataProtection | undefined): OpenText {
  return (value) => {
    if (!isSealed(value)) return value;
    const opened = personalData?.opener().openValue(value);
    return opened === undefined || opened === ERASED || opened === UNREADABLE ? undefined : opened;
  };
}
