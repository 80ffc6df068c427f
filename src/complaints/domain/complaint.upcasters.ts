import type { EventCatalogue } from '../../core/event-catalogue';
import type { ComplaintEvent } from './complaint.events';

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

/** Every complaint event type with its upcasters: how a complaint stream is read (types without upcasters never changed). */
export const COMPLAINT_UPCASTERS: EventCatalogue<ComplaintEvent> = {
  ComplaintReceived: { 1: renameLegacyChannel },
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
  CaseRouted: {},
  FinalResponseIssued: {},
  AttachmentAdded: {},
  CaseTagged: {},
  CaseUntagged: {},
  InternalNoteAdded: {},
  VulnerabilityFlagged: {},
  VulnerabilityCleared: {},
};
