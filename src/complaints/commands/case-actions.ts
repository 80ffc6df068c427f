import { acknowledgeComplaint } from './acknowledge-complaint/acknowledge-complaint.action';
import { applySystemFix } from './apply-system-fix/apply-system-fix.action';
import { approveGoodwill } from './approve-goodwill/approve-goodwill.action';
import { assessComplaint } from './assess-complaint/assess-complaint.action';
import { assignCase } from './assign-case/assign-case.action';
import { closeCase } from './close-case/close-case.action';
import { communicateResolutionPlan } from './communicate-resolution-plan/communicate-resolution-plan.action';
import { completeFollowUp } from './complete-follow-up/complete-follow-up.action';
import { declineGoodwill } from './decline-goodwill/decline-goodwill.action';
import { escalateCase } from './escalate-case/escalate-case.action';
import { explainDecision } from './explain-decision/explain-decision.action';
import { fulfilGoodwill } from './fulfil-goodwill/fulfil-goodwill.action';
import { issueApology } from './issue-apology/issue-apology.action';
import { logCustomerContact } from './log-customer-contact/log-customer-contact.action';
import { offerGoodwill } from './offer-goodwill/offer-goodwill.action';
import { recordGoodwillResponse } from './record-goodwill-response/record-goodwill-response.action';
import { recordPlanResponse } from './record-plan-response/record-plan-response.action';
import { reopenCase } from './reopen-case/reopen-case.action';
import { resolveComplaint } from './resolve-complaint/resolve-complaint.action';
import { withdrawComplaint } from './withdraw-complaint/withdraw-complaint.action';
import type { CaseAction } from './shared/case-action';

/** Every use case on an existing case (`POST /cases/:caseId/<path>`), in the order of the case lifecycle. */
export const CASE_ACTIONS: readonly CaseAction[] = [
  acknowledgeComplaint,
  logCustomerContact,
  assignCase,
  escalateCase,
  assessComplaint,
  issueApology,
  explainDecision,
  communicateResolutionPlan,
  recordPlanResponse,
  offerGoodwill,
  approveGoodwill,
  declineGoodwill,
  recordGoodwillResponse,
  fulfilGoodwill,
  applySystemFix,
  resolveComplaint,
  completeFollowUp,
  closeCase,
  reopenCase,
  withdrawComplaint,
] as const;
