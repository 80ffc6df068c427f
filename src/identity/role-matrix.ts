import type { ApiRole } from './roles';

/**
 * Who may do what: the one table the guard consults, keyed by each route's OpenAPI operationId
 * (the `@ApiOperation({ operationId })` every route declares). Deny by default: a route that is not
 * here is refused with 403 for every role, so no route is ever open by accident; a route open to
 * everyone, authenticated or not, is marked `@Public()` instead (health, docs).
 *
 * `route` is the route as the OpenAPI document shows it; test/e2e/role-matrix.e2e.spec.ts checks it
 * against /docs-json and walks every operation with every role.
 */
export interface RouteAccess {
  /** `METHOD /path/{param}`, as in the OpenAPI document. */
  readonly route: string;
  readonly roles: readonly ApiRole[];
  /** Announced but not served yet: the matrix decides it the day it lands. */
  readonly planned?: true;
}

/** Case workers: agents and the supervisors who oversee them. */
const CASE_WORKERS: readonly ApiRole[] = ['agent', 'supervisor'];
/** Readers of the case read models: case workers, and analysts who change nothing. */
const CASE_READERS: readonly ApiRole[] = ['agent', 'supervisor', 'analyst'];
/** Readers of the raw, audited record. */
const RECORD_READERS: readonly ApiRole[] = ['agent', 'supervisor', 'auditor'];
const AUDIT_READERS: readonly ApiRole[] = ['supervisor', 'auditor'];

export const ROLE_MATRIX = {
  // Case commands
  receiveComplaint: { route: 'POST /cases', roles: CASE_WORKERS },
  acknowledgeComplaint: { route: 'POST /cases/{caseId}/acknowledge', roles: CASE_WORKERS },
  logCustomerContact: { route: 'POST /cases/{caseId}/log-contact', roles: CASE_WORKERS },
  assignCase: { route: 'POST /cases/{caseId}/assign', roles: CASE_WORKERS },
  escalateCase: { route: 'POST /cases/{caseId}/escalate', roles: CASE_WORKERS },
  assessComplaint: { route: 'POST /cases/{caseId}/assess', roles: CASE_WORKERS },
  issueApology: { route: 'POST /cases/{caseId}/apologize', roles: CASE_WORKERS },
  explainDecision: { route: 'POST /cases/{caseId}/explain', roles: CASE_WORKERS },
  communicateResolutionPlan: { route: 'POST /cases/{caseId}/plan', roles: CASE_WORKERS },
  recordPlanResponse: { route: 'POST /cases/{caseId}/plan-response', roles: CASE_WORKERS },
  offerGoodwill: { route: 'POST /cases/{caseId}/goodwill', roles: CASE_WORKERS },
  approveGoodwill: { route: 'POST /cases/{caseId}/goodwill/{offerId}/approve', roles: ['supervisor'] },
  declineGoodwill: { route: 'POST /cases/{caseId}/goodwill/{offerId}/decline', roles: ['supervisor'] },
  recordGoodwillResponse: { route: 'POST /cases/{caseId}/goodwill/{offerId}/response', roles: CASE_WORKERS },
  fulfilGoodwill: { route: 'POST /cases/{caseId}/goodwill/{offerId}/fulfil', roles: CASE_WORKERS },
  applySystemFix: { route: 'POST /cases/{caseId}/system-fix', roles: CASE_WORKERS },
  resolveComplaint: { route: 'POST /cases/{caseId}/resolve', roles: CASE_WORKERS },
  completeFollowUp: { route: 'POST /cases/{caseId}/follow-up', roles: CASE_WORKERS },
  closeCase: { route: 'POST /cases/{caseId}/close', roles: CASE_WORKERS },
  reopenCase: { route: 'POST /cases/{caseId}/reopen', roles: CASE_WORKERS },
  withdrawComplaint: { route: 'POST /cases/{caseId}/withdraw', roles: CASE_WORKERS },
  recordDeadlineException: { route: 'POST /cases/{caseId}/deadline-exception', roles: ['supervisor'] },
  sendHoldingResponse: { route: 'POST /cases/{caseId}/holding-response', roles: CASE_WORKERS },
  sendIdrDelayNotice: { route: 'POST /cases/{caseId}/idr-delay-notice', roles: CASE_WORKERS },
  routeCase: { route: 'POST /cases/{caseId}/route', roles: CASE_WORKERS },
  tagCase: { route: 'POST /cases/{caseId}/tags', roles: CASE_WORKERS },
  untagCase: { route: 'POST /cases/{caseId}/tags/remove', roles: CASE_WORKERS },
  addInternalNote: { route: 'POST /cases/{caseId}/notes', roles: CASE_WORKERS },
  flagVulnerability: { route: 'POST /cases/{caseId}/vulnerability', roles: CASE_WORKERS },
  clearVulnerability: { route: 'POST /cases/{caseId}/vulnerability/clear', roles: CASE_WORKERS },
  issueFinalResponse: { route: 'POST /cases/{caseId}/final-response', roles: CASE_WORKERS },
  addAttachment: { route: 'POST /cases/{caseId}/attachments', roles: CASE_WORKERS },
  bulkAssignCases: { route: 'POST /cases/bulk/assign', roles: CASE_WORKERS },
  bulkTagCases: { route: 'POST /cases/bulk/tag', roles: CASE_WORKERS },

  // Case reads
  listCases: { route: 'GET /cases', roles: CASE_READERS },
  getCase: { route: 'GET /cases/{caseId}', roles: CASE_READERS },
  getCaseEvents: { route: 'GET /cases/{caseId}/events', roles: RECORD_READERS },
  getFinalResponse: { route: 'GET /cases/{caseId}/final-response', roles: RECORD_READERS },
  getAttachment: { route: 'GET /cases/{caseId}/attachments/{attachmentId}', roles: RECORD_READERS },
  streamCaseEvents: { route: 'GET /cases/{caseId}/live', roles: RECORD_READERS },

  // The desk's queues
  queueSummary: { route: 'GET /queues/summary', roles: CASE_READERS },
  streamQueue: { route: 'GET /queues/live', roles: CASE_WORKERS },
  getTaxonomy: { route: 'GET /taxonomy', roles: CASE_READERS },

  // Audit
  getCaseHistory: { route: 'GET /cases/{caseId}/history', roles: AUDIT_READERS },
  getCaseStateAt: { route: 'GET /cases/{caseId}/state', roles: AUDIT_READERS },
  verifyCase: { route: 'GET /cases/{caseId}/verify', roles: AUDIT_READERS },
  getInclusionProof: { route: 'GET /audit/proofs/inclusion', roles: AUDIT_READERS },
  getConsistencyProof: { route: 'GET /audit/proofs/consistency', roles: AUDIT_READERS },

  // Customers
  getCustomer: { route: 'GET /customers/{customerId}', roles: CASE_READERS },
  recordPurchase: { route: 'POST /customers/{customerId}/purchases', roles: CASE_WORKERS },
  recordReferral: { route: 'POST /customers/{customerId}/referrals', roles: CASE_WORKERS },
  recordChurn: { route: 'POST /customers/{customerId}/churn', roles: CASE_WORKERS },
  flagCustomerVulnerability: { route: 'POST /customers/{customerId}/vulnerability', roles: CASE_WORKERS },
  clearCustomerVulnerability: { route: 'POST /customers/{customerId}/vulnerability/clear', roles: CASE_WORKERS },
  erasePersonalData: { route: 'DELETE /customers/{customerId}/personal-data', roles: ['admin'] },

  // Analytics
  loyaltyOutcomes: { route: 'GET /analytics/loyalty-outcomes', roles: ['analyst'] },
  systemicIssues: { route: 'GET /analytics/systemic-issues', roles: ['analyst'] },
  deadlinesReport: { route: 'GET /analytics/deadlines', roles: ['analyst'] },

  // Operations
  importPurchases: { route: 'POST /imports/purchases', roles: ['admin'] },
  listProjections: { route: 'GET /projections', roles: ['admin'] },
  rebuildProjection: { route: 'POST /projections/{name}/rebuild', roles: ['admin'] },
  restartProjection: { route: 'POST /projections/{name}/restart', roles: ['admin'] },
  // A scraper's token (role monitor) reads the metrics and nothing else; METRICS_PUBLIC=true opens them instead.
  getMetrics: { route: 'GET /metrics', roles: ['admin', 'monitor'] },
} as const satisfies Record<string, RouteAccess>;

export type OperationId = keyof typeof ROLE_MATRIX;

/** The matrix entry of an operation, or undefined when it has none (then every role is refused). */
export function accessOf(operationId: string | undefined): RouteAccess | undefined {
  return operationId !== undefined && Object.hasOwn(ROLE_MATRIX, operationId) ? ROLE_MATRIX[operationId as OperationId] : undefined;
}

/** May `role` call the operation? Unknown operations: no one may. */
export function mayCall(role: ApiRole, operationId: string | undefined): boolean {
  return accessOf(operationId)?.roles.includes(role) ?? false;
}

/** The matrix seen from each role: what it may call (for the README and the matrix test). */
export function operationsOf(role: ApiRole): OperationId[] {
  return (Object.keys(ROLE_MATRIX) as OperationId[]).filter((operationId) => mayCall(role, operationId));
}
