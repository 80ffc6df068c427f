/** The value sets of the complaint domain, shared by the decider, the DTOs and the OpenAPI document. */
export const CHANNELS = ['email', 'phone', 'chat', 'web', 'letter', 'in-person', 'social'] as const;
export type Channel = (typeof CHANNELS)[number];

export const REGIMES = ['default', 'FCA', 'CFPB', 'ASIC'] as const;
export type Regime = (typeof REGIMES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const JUSTIFIED = ['yes', 'no', 'partly'] as const;
export type Justified = (typeof JUSTIFIED)[number];

export const ROOT_CAUSES = ['systemic', 'one-off', 'customer-error', 'third-party', 'unknown'] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

export const CONTACT_DIRECTIONS = ['inbound', 'outbound'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

export const GOODWILL_KINDS = ['coupon', 'extra-service', 'partial-refund', 'full-refund', 'replacement', 'credit'] as const;
export type GoodwillKind = (typeof GOODWILL_KINDS)[number];

export const PLAN_RESPONSES = ['accepted', 'rejected'] as const;
export type PlanResponse = (typeof PLAN_RESPONSES)[number];

export const GOODWILL_RESPONSES = ['accepted', 'declined'] as const;
export type GoodwillResponse = (typeof GOODWILL_RESPONSES)[number];

export const OUTCOMES = ['upheld', 'partially-upheld', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Reasons to close a case that was neither followed up nor withdrawn: each must be said explicitly. */
export const UNRESOLVED_CLOSE_REASONS = ['customer-unresponsive', 'duplicate', 'referred-to-ombudsman', 'out-of-scope'] as const;
/**
 * Documented regulatory grounds on which a running deadline stops applying (RecordDeadlineException): the complaint is
 * answered under another case; it is not a complaint the regime covers (DISP 1.1 eligibility, a CFPB complaint sent to the
 * wrong company); the ombudsman or a court is determining it; or another ground, stated in the reason.
 */
/**
 * ASIC: what a complaint is about when it concerns financial hardship (RG 271): a hardship notice, a request to postpone
 * enforcement proceedings, a declined hardship request, or a default notice. Such a complaint always gets a written IDR response.
 */
export const HARDSHIP_MATTERS = ['hardship-notice', 'postponement-request', 'declined-hardship-request', 'default-notice'] as const;
export type HardshipMatter = (typeof HARDSHIP_MATTERS)[number];

/**
 * ASIC RG 271: the complaints whose IDR response has a maximum timeframe of its own (a standard complaint has none of these):
 * about a default notice, or credit complaints involving a hardship notice (declined or not) or a request to postpone
 * enforcement proceedings, 21 calendar days; a superannuation trustee's complaint, 45 calendar days.
 */
/**
 * ASIC RG 271: besides hardship, the complaints that get a written IDR response however soon they are closed: a declined
 * insurance claim, the value of an insurance claim, a superannuation trustee's decision.
 */
export const WRITTEN_IDR_RESPONSE_MATTERS = [
  'declined-insurance-claim',
  'insurance-claim-value',
  'superannuation-trustee-decision',
] as const;
export type WrittenIdrResponseMatter = (typeof WRITTEN_IDR_RESPONSE_MATTERS)[number];

export const ASIC_COMPLAINT_TYPES = [...HARDSHIP_MATTERS, 'superannuation-trustee'] as const;
export type AsicComplaintType = (typeof ASIC_COMPLAINT_TYPES)[number];

export function isHardshipMatter(type: AsicComplaintType | undefined): type is HardshipMatter {
  return (HARDSHIP_MATTERS as readonly string[]).includes(type ?? '');
}

/**
 * ASIC RG 271: why a complaint closed by the end of the 5th business day after receipt needs no written IDR response. It was
 * resolved to the complainant's complete satisfaction, or the firm gave an explanation and/or an apology where it can take no
 * further action.
 */
export const FIVE_DAY_ROUTE_BASES = ['complete-satisfaction', 'explanation-or-apology'] as const;
export type FiveDayRouteBasis = (typeof FIVE_DAY_ROUTE_BASES)[number];

export const DEADLINE_EXCEPTION_GROUNDS = ['duplicate', 'outside-regime-scope', 'before-ombudsman-or-court', 'other'] as const;
export type DeadlineExceptionGround = (typeof DEADLINE_EXCEPTION_GROUNDS)[number];

export const CLOSE_REASONS = ['follow-up-completed', 'withdrawn', ...UNRESOLVED_CLOSE_REASONS] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** FCA FG21/1's four drivers of vulnerability: shared with the customer's own flag. */
export { VULNERABILITY_REASONS, type VulnerabilityReason } from '../../kernel/vulnerability';
