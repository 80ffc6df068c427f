/**
 * What other modules, the CLI and the read side may use of the complaints module without loading its HTTP layer (Nest, Swagger,
 * Fastify, validation): a rebuild or a CLI command loads only this. public.ts offers all of it and the rest.
 */
export { addBusinessDays, instantMs } from './domain/business-days';
export { COMPLAINT_RULES, COMPLAINT_STREAM_PREFIX, complaintDecider, complaintStreamName } from './domain/complaint.decider';
export type { ComplaintEvent } from './domain/complaint.events';
export { COMPLAINT_PERSONAL_FIELDS } from './domain/complaint.personal-data';
export { COMPLAINT_UPCASTERS } from './domain/complaint.upcasters';
export { REGIMES } from './domain/complaint.vocabulary';
export { DEADLINE_KINDS } from './domain/deadline-policies';
export type { DeadlineKind } from './domain/deadline-policies';
export { missedBeforeCancellation } from './domain/deadlines';
export type { CaseView } from './projections/case-view/case-view';
export { evolveCaseView } from './projections/case-view/case-view.evolve';
export { foldCaseFacts } from './projections/case-view/case-view.shared-fold';
export { caseViewProjection } from './projections/case-view/case-view.projection';
export { caseViewMigrations } from './projections/case-view/case-view.projection';
export type { CaseViewTables } from './projections/case-view/case-view.table';
export { caseTagsProjection, caseTagsMigrations } from './projections/case-tags/case-tags.projection';
export type { CaseTagTables } from './projections/case-tags/case-tags.projection';
export { caseSearchProjection, caseSearchMigrations } from './projections/case-search/case-search.projection';
export type { CaseSearchTables, OpenText } from './projections/case-search/case-search.projection';
export {
  attachmentReferencesMigrations,
  attachmentReferencesProjection,
  type AttachmentReferenceTables,
} from './attachments/attachment-references.projection';
