import type { EventCatalogue } from '../../core/event-catalogue';
import type { ComplaintEvent } from './complaint.events';
import { deadlinesOnReceipt, POLICIES_BEFORE_CALENDARS, summaryResolutionEndsAt } from './deadline-policies';

/**
 * Schema history of complaint events.
 *
 * v2 (channels): the channel first called `webform` is `web` — web forms and the customer portal
 * turned out to be one channel for analysts. Events written before the rename keep their bytes;
 * they are read as if written today.
 */
const LEGACY_CHANNELS: Readonly<Record<string, string>> = { webform: 'web' };

function renameLegacyChannel<T extends { channel?: string }>(data: T): T {
  const renamed = data.channel === undefined ? undefined : LEGACY_CHANNELS[data.channel];
  return renamed ? { ...data, channel: renamed } : data;
}

/**
 * v3 (deadlines recorded): ComplaintReceived carries the due instants receipt starts, so that a new policy version or a
 * change of the firm's calendar settings never moves them. A receipt recorded before carries none: it is read with the
 * deadlines the policies of its time gave it (business days Monday to Friday in UTC, no holidays), which is what its case
 * was shown and measured against.
 */
function recordDeadlinesOfTheTime<T extends { regime: Parameters<typeof deadlinesOnReceipt>[0]; receivedAt: string; deadlines?: unknown }>(
  data: T,
): T {
  if (data.deadlines !== undefined) return data;
  const policies = POLICIES_BEFORE_CALENDARS;
  const deadlines = deadlinesOnReceipt(data.regime, data.receivedAt, { policies });
  const windowEnd = summaryResolutionEndsAt({ regime: data.regime, receivedAt: data.receivedAt }, { policies });
  return { ...data, deadlines, ...(windowEnd !== undefined ? { summaryResolutionEndsAt: windowEnd } : {}) };
}

/** Every complaint event type with its upcasters: how a complaint stream is read (types without upcasters never changed). */
export const COMPLAINT_UPCASTERS: EventCatalogue<ComplaintEvent> = {
  ComplaintReceived: { 1: renameLegacyChannel, 2: recordDeadlinesOfTheTime },
  ComplaintAcknowledged: { 1: renameLegacyChannel },
  CustomerContactLogged: { 1: renameLegacyChannel },
  CaseAssigned: {},
  CaseEscalated: {},
  ComplaintAssessed: {},
  ApologyIssued: { 1: renameLegacyChannel },
  ExplanationGiven: { 1: renameLegacyChannel },
  ResolutionPlanCommunicated: {},
  ResolutionPlanAccepted: {},
  ResolutionPlanRejected: {},
  GoodwillOffered: {},
  GoodwillApprovalRequested: {},
  GoodwillApproved: {},
  GoodwillRejected: {},
  GoodwillAccepted: {},
  GoodwillDeclined: {},
  GoodwillFulfilled: {},
  SystemFixApplied: {},
  ComplaintResolved: {},
  FollowUpCompleted: {},
  CaseClosed: {},
  CaseReopened: {},
  ComplaintWithdrawn: {},
  DeadlineBreached: {},
  DeadlineExceptionRecorded: {},
  HoldingResponseSent: {},
  IdrDelayNoticeSent: {},
  CaseRouted: {},
  FinalResponseIssued: {},
  AttachmentAdded: {},
  CaseTagged: {},
  CaseUntagged: {},
  InternalNoteAdded: {},
  VulnerabilityFlagged: {},
  VulnerabilityCleared: {},
};
