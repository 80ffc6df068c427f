import { assertNever } from '../../../core/decider';
import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { present } from '../../domain/complaint.command';
import { evolveDeadlines, initialDeadlines, isDated, recordedPolicyVersion, type CaseDeadline } from '../../domain/deadlines';
import type { Money } from '../../../kernel/money';
import type { CaseView, DeadlineView, GoodwillOfferView } from './case-view';

/** Pure: the case view after one recorded event of the case stream. */
export function evolveCaseView(view: CaseView | null, recorded: RecordedEvent): CaseView {
  // The documented boundary: the projection reads the global log, whose events the store checked against the
  // event catalogue; the log's reader is not typed per stream kind, so the complaint type is asserted here.
  const event = recorded as unknown as ComplaintEvent;
  const next = event.type === 'ComplaintReceived' ? received(event) : applyTo(withHistoryLists(requireView(view, recorded)), event);
  const key = {
    regime: next.regime,
    receivedAt: next.timestamps.receivedAt,
    policyVersion: next.policyVersion,
    paymentServices: next.paymentServices,
    asicComplaintType: next.asicComplaintType,
  };
  const deadlines = deadlineViews(evolveDeadlines(next.deadlines, event, key));
  // The display status reads nothing the deadlines or the update instant change. A view this event already copied is
  // finished in place (no one else holds it: a copy was about 2 µs of a 15-µs fold); the view given is never changed.
  const status = displayStatus(next);
  const finished = next === view ? { ...next } : next;
  finished.deadlines = deadlines;
  finished.status = status;
  finished.breached = deadlines.some((deadline) => deadline.status === 'breached');
  finished.timestamps = { ...next.timestamps, updatedAt: event.data.at };
  finished.revision = recorded.revision;
  finished.position = recorded.position;
  return finished;
}

function requireView(view: CaseView | null, recorded: RecordedEvent): CaseView {
  if (!view) throw new Error(`${recorded.type} at revision ${recorded.revision} of ${recorded.streamName} precedes ComplaintReceived`);
  return view;
}

function received(event: Extract<ComplaintEvent, { type: 'ComplaintReceived' }>): CaseView {
  const { data } = event;
  const policyVersion = recordedPolicyVersion(data.deadlines);
  return {
    caseId: data.caseId,
    customerId: data.customerId,
    status: 'received',
    channel: data.channel,
    regime: data.regime,
    summary: data.summary,
    ...(data.details !== undefined ? { details: data.details } : {}),
    ...(data.remedySought !== undefined ? { remedySought: data.remedySought } : {}),
    ...(data.contact !== undefined ? { contact: { ...data.contact } } : {}),
    ...(data.orderRef !== undefined ? { orderRef: data.orderRef } : {}),
    ...(data.relatedCaseId !== undefined ? { relatedCaseId: data.relatedCaseId } : {}),
    ...(data.orderValue !== undefined ? { orderValue: data.orderValue } : {}),
    escalationLevel: 0,
    contacts: [],
    apologies: [],
    explanations: [],
    goodwill: { offers: [], granted: [] },
    systemFixes: [],
    resolutions: [],
    followUps: [],
    plans: [],
    escalations: [],
    reopenings: [],
    reopenCount: 0,
    timestamps: { receivedAt: data.receivedAt, updatedAt: data.at },
    ...(policyVersion !== undefined ? { policyVersion } : {}),
    ...(data.paymentServices ? { paymentServices: true } : {}),
    ...(data.asicComplaintType !== undefined ? { asicComplaintType: data.asicComplaintType } : {}),
    ...(data.summaryResolutionEndsAt !== undefined
      ? { summaryResolution: { windowEndsAt: data.summaryResolutionEndsAt, qualifies: false } }
      : {}),
    deadlines: deadlineViews(initialDeadlines({ regime: data.regime, receivedAt: data.receivedAt, policyVersion }, data.deadlines)),
    breached: false,
    revision: 0,
    position: 0,
  };
}

function applyTo(view: CaseView, event: ComplaintEvent): CaseView {
  switch (event.type) {
    case 'ComplaintReceived':
      return view;
    case 'ComplaintAcknowledged':
      return { ...view, timestamps: { ...view.timestamps, acknowledgedAt: view.timestamps.acknowledgedAt ?? event.data.at } };
    case 'CustomerContactLogged': {
      const { direction, channel, summary, at, by } = event.data;
      return {
        ...view,
        contacts: [...view.contacts, { direction, channel, summary, at, by }],
        timestamps: { ...view.timestamps, firstContactAt: view.timestamps.firstContactAt ?? at },
      };
    }
    case 'CaseAssigned':
      return {
        ...view,
        assignee: { agentId: event.data.agentId, ...(event.data.team ? { team: event.data.team } : {}) },
        ...(event.data.team ? { team: event.data.team } : {}),
      };
    case 'CaseEscalated': {
      const { level, reason, team, at, by } = event.data;
      return {
        ...view,
        escalationLevel: level,
        escalations: [...view.escalations, { level, reason, ...(team ? { team } : {}), at, by }],
        ...(team ? { team } : {}),
      };
    }
    case 'ComplaintAssessed': {
      const { category, severity, justified, rootCause, findings, causeCode, taxonomyVersion, paymentServices, asicComplaintType } =
        event.data;
      return {
        ...view,
        category,
        severity,
        justified,
        rootCause,
        findings,
        causeCode,
        taxonomyVersion,
        ...(paymentServices ? { paymentServices } : {}),
        ...(asicComplaintType !== undefined ? { asicComplaintType } : {}),
      };
    }
    case 'ApologyIssued': {
      const { channel, message, at, by } = event.data;
      return responded({ ...view, apologies: [...view.apologies, { channel, message, at, by }] }, at);
    }
    case 'ExplanationGiven': {
      const { channel, message, at, by } = event.data;
      return responded({ ...view, explanations: [...view.explanations, { channel, message, at, by }] }, at);
    }
    case 'ResolutionPlanCommunicated': {
      const { planId, actions, dueBy, at } = event.data;
      const plan = { planId, actions, dueBy, response: 'pending' as const, communicatedAt: at };
      return responded({ ...view, plan, plans: [...notCurrent(view.plans), { ...plan, current: true }] }, at);
    }
    case 'ResolutionPlanAccepted':
    case 'ResolutionPlanRejected': {
      if (!view.plan) return view;
      const answer = {
        response: event.type === 'ResolutionPlanAccepted' ? ('accepted' as const) : ('rejected' as const),
        ...(event.data.comment !== undefined ? { comment: event.data.comment } : {}),
      };
      const { planId } = event.data;
      return {
        ...view,
        plan: { ...view.plan, ...answer },
        plans: view.plans.map((plan) => (plan.current && plan.planId === planId ? { ...plan, ...answer } : plan)),
      };
    }
    case 'GoodwillOffered': {
      const { offerId, kind, amount, currency, withoutAdmission, description, at, by } = event.data;
      const offer: GoodwillOfferView = {
        offerId,
        kind,
        amount,
        currency,
        withoutAdmission,
        status: 'approved',
        needsApproval: false,
        offeredBy: by,
        offeredAt: at,
        ...(description !== undefined ? { description } : {}),
      };
      return withOffers(view, [...view.goodwill.offers, offer]);
    }
    case 'GoodwillApprovalRequested':
      return updateOffer(view, event.data.offerId, { status: 'pending-approval', needsApproval: true });
    case 'GoodwillApproved':
      return updateOffer(view, event.data.offerId, { status: 'approved', decidedBy: event.data.by });
    case 'GoodwillRejected':
      return updateOffer(view, event.data.offerId, { status: 'rejected', decidedBy: event.data.by });
    case 'GoodwillAccepted':
      return updateOffer(view, event.data.offerId, { status: 'accepted' });
    case 'GoodwillDeclined':
      return updateOffer(view, event.data.offerId, { status: 'declined' });
    case 'GoodwillFulfilled':
      return updateOffer(view, event.data.offerId, {
        status: 'fulfilled',
        fulfilledAt: event.data.at,
        ...(event.data.reference !== undefined ? { reference: event.data.reference } : {}),
      });
    case 'SystemFixApplied': {
      const { fixId, description, procedureChange, effectiveFrom, customerNotified, at } = event.data;
      return { ...view, systemFixes: [...view.systemFixes, { fixId, description, procedureChange, effectiveFrom, customerNotified, at }] };
    }
    case 'ComplaintResolved': {
      const { resolution, outcome, at, fiveDayRouteBasis, writtenResponseRequested, hardshipMatter, writtenResponseMatter } = event.data;
      const resolved = present({
        resolution,
        outcome,
        at,
        fiveDayRouteBasis,
        writtenResponseRequested,
        hardshipMatter,
        writtenResponseMatter,
      });
      return responded(
        {
          ...view,
          resolution: resolved,
          resolutions: [...notCurrent(view.resolutions), { ...resolved, current: true }],
          ...withSummaryResolution(view, event.data),
          followUp: undefined,
          followUps: notCurrent(view.followUps),
          timestamps: { ...view.timestamps, resolvedAt: at },
        },
        at,
      );
    }
    case 'FollowUpCompleted': {
      const { satisfied, csat, nps, comment, at } = event.data;
      const followUp = { satisfied, csat, at, ...(nps !== undefined ? { nps } : {}), ...(comment !== undefined ? { comment } : {}) };
      return { ...view, followUp, followUps: [...notCurrent(view.followUps), { ...followUp, current: true }] };
    }
    case 'CaseClosed':
      return {
        ...view,
        close: { reason: event.data.reason, ...(event.data.note !== undefined ? { note: event.data.note } : {}) },
        timestamps: { ...view.timestamps, closedAt: event.data.at },
      };
    case 'CaseReopened': {
      const { closedAt: _closed, resolvedAt: _resolved, ...timestamps } = view.timestamps;
      const { resolution: _resolution, followUp: _followUp, close: _close, withdrawal: _withdrawal, ...rest } = view;
      const { reason, at, by } = event.data;
      return {
        ...rest,
        resolutions: notCurrent(view.resolutions),
        followUps: notCurrent(view.followUps),
        reopenings: [...view.reopenings, { reason, at, by }],
        reopenCount: view.reopenCount + 1,
        timestamps,
      };
    }
    case 'ComplaintWithdrawn':
      return {
        ...view,
        withdrawal: event.data.reason !== undefined ? { reason: event.data.reason } : {},
        timestamps: { ...view.timestamps, withdrawnAt: event.data.at },
      };
    case 'DeadlineBreached':
    case 'DeadlineExceptionRecorded':
    case 'HoldingResponseSent':
      return view;
    case 'IdrDelayNoticeSent': {
      const { reasons, expectedBy, at, by } = event.data;
      return { ...view, idrDelayNotices: [...(view.idrDelayNotices ?? []), { reasons, expectedBy, at, by }] };
    }
    case 'FinalResponseIssued': {
      const { templateVersion, outcome, sha256, at, by } = event.data;
      return responded({ ...view, finalResponse: { templateVersion, outcome, sha256, at, by } }, at);
    }
    case 'AttachmentAdded': {
      const { attachmentId, name, size, contentType, sha256, at, by } = event.data;
      return { ...view, attachments: [...(view.attachments ?? []), { attachmentId, name, size, contentType, sha256, at, by }] };
    }
    case 'CaseRouted': {
      const { assignee: _assignee, ...rest } = view;
      return { ...rest, team: event.data.team };
    }
    case 'CaseTagged':
      return { ...view, tags: [...(view.tags ?? []), event.data.tag] };
    case 'CaseUntagged': {
      const { tags: _tags, ...rest } = view;
      const tags = (view.tags ?? []).filter((tag) => tag !== event.data.tag);
      return tags.length > 0 ? { ...rest, tags } : rest;
    }
    case 'InternalNoteAdded': {
      const { noteId, text, at, by } = event.data;
      return { ...view, notes: [...(view.notes ?? []), { noteId, text, at, by }] };
    }
    case 'VulnerabilityFlagged': {
      const { reason, note, shortenedFinalResponseDays, at, by } = event.data;
      return {
        ...view,
        vulnerability: {
          reason,
          ...(note !== undefined ? { note } : {}),
          ...(shortenedFinalResponseDays !== undefined ? { shortenedFinalResponseDays } : {}),
          flaggedAt: at,
          flaggedBy: by,
        },
      };
    }
    case 'VulnerabilityCleared': {
      const { vulnerability: _vulnerability, ...rest } = view;
      return rest;
    }
    default:
      return assertNever(event, 'complaint event');
  }
}

/** Whether this resolution came within the summary-resolution window, and whether it was sent as the summary communication. */
function withSummaryResolution(view: CaseView, { at, summaryResolution }: { at: string; summaryResolution?: true }): Partial<CaseView> {
  const window = view.summaryResolution;
  if (!window) return {};
  const within = Date.parse(at) <= Date.parse(window.windowEndsAt);
  return {
    summaryResolution: {
      ...window,
      qualifies: window.qualifies || within,
      ...(summaryResolution && window.communicationSentAt === undefined ? { communicationSentAt: at } : {}),
    },
  };
}

/** A view stored before the history lists existed gets them empty, so the projection carries on without a rebuild. */
function withHistoryLists(view: CaseView): CaseView {
  const stored: Partial<CaseView> = view;
  if (stored.resolutions && stored.followUps && stored.plans && stored.escalations && stored.reopenings) return view;
  return {
    ...view,
    resolutions: stored.resolutions ?? [],
    followUps: stored.followUps ?? [],
    plans: stored.plans ?? [],
    escalations: stored.escalations ?? [],
    reopenings: stored.reopenings ?? [],
  };
}

/** A reopen, a new resolution or a new plan leaves the earlier ones in the list, no longer current. */
function notCurrent<T extends { current: boolean }>(entries: readonly T[]): T[] {
  return entries.map((entry) => (entry.current ? { ...entry, current: false } : entry));
}

function responded(view: CaseView, at: string): CaseView {
  return { ...view, timestamps: { ...view.timestamps, firstResponseAt: view.timestamps.firstResponseAt ?? at } };
}

function updateOffer(view: CaseView, offerId: string, change: Partial<GoodwillOfferView>): CaseView {
  return withOffers(
    view,
    view.goodwill.offers.map((offer) => (offer.offerId === offerId ? { ...offer, ...change } : offer)),
  );
}

function withOffers(view: CaseView, offers: GoodwillOfferView[]): CaseView {
  return { ...view, goodwill: { offers, granted: grantedPerCurrency(offers) } };
}

function grantedPerCurrency(offers: readonly GoodwillOfferView[]): Money[] {
  const totals = new Map<string, number>();
  for (const offer of offers) {
    if (offer.status === 'accepted' || offer.status === 'fulfilled')
      totals.set(offer.currency, (totals.get(offer.currency) ?? 0) + offer.amount);
  }
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ amount, currency }));
}

/** A frontend sees the deadlines that fall due, without the instants only the decider reads (see CaseDeadline). */
function deadlineViews(deadlines: readonly CaseDeadline[]): DeadlineView[] {
  return deadlines
    .filter(isDated)
    .map((deadline) =>
      deadline.cancelledAt === undefined && deadline.restartedAt === undefined ? deadline : withoutDecisionInstants(deadline),
    );
}

function withoutDecisionInstants({ cancelledAt: _cancelled, restartedAt: _restarted, ...view }: CaseDeadline & DeadlineView): DeadlineView {
  return view;
}

function displayStatus(view: CaseView): CaseView['status'] {
  if (view.timestamps.closedAt) return 'closed';
  if (view.withdrawal) return 'withdrawn';
  if (view.resolution) return 'resolved';
  if (view.category) return 'in-progress';
  if (view.timestamps.acknowledgedAt) return 'acknowledged';
  return 'received';
}
