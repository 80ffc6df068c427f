import type { PersonalFieldsOf } from '../../kernel/personal-data';
import type { ComplaintEvent } from './complaint.events';

/**
 * The fields of complaint events that carry the customer's personal data: who they are and how to reach
 * them, and every free text that records what the customer said. They are stored encrypted with the
 * customer's key and read as `[erased]` once it is destroyed.
 *
 * Left in the clear, on purpose: the staff's own words (acknowledgement, apology and explanation messages,
 * findings, plan actions, resolution, escalation and close notes, goodwill descriptions and decisions, system
 * fixes), which are the firm's record of its handling; identifiers (customerId, orderRef) and every field a
 * decision or a figure reads (channel, category, outcome, amounts, instants).
 */
export const COMPLAINT_PERSONAL_FIELDS = {
  ComplaintReceived: ['summary', 'details', 'remedySought', 'contact.name', 'contact.email', 'contact.phone'],
  CustomerContactLogged: ['summary'],
  ResolutionPlanAccepted: ['comment'],
  ResolutionPlanRejected: ['comment'],
  GoodwillAccepted: ['comment'],
  GoodwillDeclined: ['comment'],
  FollowUpCompleted: ['comment'],
  CaseReopened: ['reason'],
  ComplaintWithdrawn: ['reason'],
  InternalNoteAdded: ['text'],
  FinalResponseIssued: ['text'],
  AttachmentAdded: ['name'],
  VulnerabilityFlagged: ['note'],
  VulnerabilityCleared: ['note'],
} as const satisfies PersonalFieldsOf<ComplaintEvent>;
