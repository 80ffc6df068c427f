/** Builders of complaint commands and events for the domain specs. */
import type { ComplaintCommand, ComplaintCommandType } from './complaint.decider';
import type { ComplaintEvent, ComplaintEventType } from './complaint.events';
import type { CloseReason, GoodwillKind, Justified, Outcome, RootCause } from './complaint.vocabulary';
import type { Actor } from '../../kernel/actor';
import { deadlinesOnReceipt, summaryResolutionEndsAt, type Deadline, type DeadlineKind } from './deadline-policies';

export const AGENT: Actor = { id: 'agent-ann', role: 'agent' };
export const SUPERVISOR: Actor = { id: 'supervisor-sam', role: 'supervisor' };
export const CUSTOMER: Actor = { id: 'customer-cat', role: 'customer' };
export const SYSTEM: Actor = { id: 'system-clock', role: 'system' };

export const CASE_ID = 'case-1';
export const CUSTOMER_ID = 'customer-cat';
export const ORDER_VALUE = { amount: 10_000, currency: 'EUR' } as const;

export const T0 = '2025-03-03T09:00:00.000Z';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** An instant after `from`. */
export function after(span: { days?: number; hours?: number; minutes?: number; ms?: number }, from: string = T0): string {
  const ms = (span.days ?? 0) * DAY_MS + (span.hours ?? 0) * HOUR_MS + (span.minutes ?? 0) * MINUTE_MS + (span.ms ?? 0);
  return new Date(Date.parse(from) + ms).toISOString();
}

export interface Stamp {
  readonly by?: Actor;
  readonly at?: string;
}

type CommandOf<T extends ComplaintCommandType> = Extract<ComplaintCommand, { type: T }>;
type EventOf<T extends ComplaintEventType> = Extract<ComplaintEvent, { type: T }>;
type Unstamped<Data> = Omit<Data, 'by' | 'at'>;
/** A received complaint's deadlines may be left out: the builder adds those the decider records under default settings. */
type EventData<T extends ComplaintEventType> = T extends 'ComplaintReceived'
  ? Omit<Unstamped<EventOf<T>['data']>, 'deadlines'> & { deadlines?: Deadline[] }
  : Unstamped<EventOf<T>['data']>;

export function command<T extends ComplaintCommandType>(type: T, data: CommandOf<T>['data'], stamp: Stamp = {}): CommandOf<T> {
  return { type, data, by: stamp.by ?? AGENT, at: stamp.at ?? T0 } as CommandOf<T>;
}

export function event<T extends ComplaintEventType>(type: T, data: EventData<T>, stamp: Stamp = {}): EventOf<T> {
  return { type, data: { ...withReceiptDeadlines(type, data), by: stamp.by ?? AGENT, at: stamp.at ?? T0 } } as unknown as EventOf<T>;
}

function withReceiptDeadlines(type: ComplaintEventType, data: object): object {
  if (type !== 'ComplaintReceived' || 'deadlines' in data) return data;
  const { regime, receivedAt } = data as { regime: Parameters<typeof deadlinesOnReceipt>[0]; receivedAt: string };
  const windowEnd = summaryResolutionEndsAt({ regime, receivedAt });
  return {
    ...data,
    deadlines: deadlinesOnReceipt(regime, receivedAt),
    ...(windowEnd !== undefined ? { summaryResolutionEndsAt: windowEnd } : {}),
  };
}

// ── Canned events, for histories ─────────────────────────────────────────────

export const received = (stamp: Stamp = {}): ComplaintEvent =>
  event(
    'ComplaintReceived',
    {
      caseId: CASE_ID,
      customerId: CUSTOMER_ID,
      channel: 'email',
      summary: 'Parcel arrived broken',
      orderRef: 'order-9',
      orderValue: ORDER_VALUE,
      regime: 'default',
      receivedAt: stamp.at ?? T0,
    },
    stamp,
  );

export const assessed = (justified: Justified, rootCause: RootCause = 'one-off', stamp: Stamp = {}): ComplaintEvent =>
  event(
    'ComplaintAssessed',
    { category: 'delivery', severity: 'medium', justified, rootCause, findings: 'Checked the courier log' },
    stamp,
  );

export const planCommunicated = (planId = 'plan-1', stamp: Stamp = {}): ComplaintEvent =>
  event('ResolutionPlanCommunicated', { planId, actions: ['send a replacement'], dueBy: after({ days: 7 }) }, stamp);

export const offered = (offerId: string, amount: number, kind: GoodwillKind = 'coupon', stamp: Stamp = {}): ComplaintEvent =>
  event('GoodwillOffered', { offerId, kind, amount, currency: 'EUR', withoutAdmission: false }, stamp);

export const approvalRequested = (offerId: string, limit = 5000, stamp: Stamp = {}): ComplaintEvent =>
  event('GoodwillApprovalRequested', { offerId, limit }, stamp);

export const approved = (offerId = 'offer-1'): ComplaintEvent => event('GoodwillApproved', { offerId }, { by: SUPERVISOR });

/** The customer accepted the goodwill offer. */
export const accepted = (offerId = 'offer-1', stamp: Stamp = { by: CUSTOMER }): ComplaintEvent =>
  event('GoodwillAccepted', { offerId }, stamp);

/** An offer over the agent's limit, waiting for a supervisor. */
export const pendingOffer = (offerId = 'offer-1'): ComplaintEvent[] => [offered(offerId, 20_000), approvalRequested(offerId, 5000)];

export const resolved = (outcome: Outcome = 'upheld', stamp: Stamp = {}): ComplaintEvent =>
  event('ComplaintResolved', { resolution: 'Replacement sent', outcome }, stamp);

export const followedUp = (stamp: Stamp = {}): ComplaintEvent =>
  event('FollowUpCompleted', { satisfied: true, csat: 5 }, { by: CUSTOMER, ...stamp });

export const closed = (reason: CloseReason = 'follow-up-completed', stamp: Stamp = {}): ComplaintEvent =>
  event('CaseClosed', { reason }, stamp);

export const withdrawn = (stamp: Stamp = {}): ComplaintEvent => event('ComplaintWithdrawn', {}, { by: CUSTOMER, ...stamp });

export const reopened = (stamp: Stamp = {}): ComplaintEvent =>
  event('CaseReopened', { reason: 'Still broken' }, { by: CUSTOMER, ...stamp });

// ── Deadlines of the canned case ('default' regime, received at T0, Monday 2025-03-03 09:00 UTC) ──

export const ACK_DUE = after({ hours: 24 }); // 2025-03-04T09:00:00.000Z
export const FINAL_DUE = after({ days: 14 }); // 2025-03-17T09:00:00.000Z
export const RESOLVED_AT = after({ days: 3 });
export const FOLLOW_UP_DUE = after({ days: 7 }, RESOLVED_AT);
export const DEFAULT_POLICY_VERSION = 'default@2026-01';

export const ack = (at: string): ComplaintEvent =>
  event('ComplaintAcknowledged', { channel: 'email', message: 'We have your complaint' }, { at });

/** The deadline clock's breach, recorded a minute after the due instant unless said otherwise. */
export const breached = (
  kind: DeadlineKind,
  dueAt: string,
  { at = after({ minutes: 1 }, dueAt), policyVersion = DEFAULT_POLICY_VERSION }: { at?: string; policyVersion?: string } = {},
): ComplaintEvent => event('DeadlineBreached', { kind, dueAt, policyVersion }, { by: SYSTEM, at });

// ── Canned histories ─────────────────────────────────────────────────────────

export const openCase = (): ComplaintEvent[] => [received()];
export const justifiedCase = (rootCause: RootCause = 'one-off'): ComplaintEvent[] => [received(), assessed('yes', rootCause)];
export const resolvedCase = (): ComplaintEvent[] => [...justifiedCase(), resolved('upheld')];
export const followedUpCase = (): ComplaintEvent[] => [...resolvedCase(), followedUp()];
export const closedCase = (): ComplaintEvent[] => [...followedUpCase(), closed('follow-up-completed')];
export const withdrawnCase = (): ComplaintEvent[] => [received(), withdrawn()];

/** One valid example of every command but ReceiveComplaint: for rules that apply to all of them alike. */
export const CASE_COMMAND_EXAMPLES: ComplaintCommand[] = [
  command('AcknowledgeComplaint', { channel: 'email', message: 'We have your complaint' }),
  command('LogCustomerContact', { direction: 'outbound', channel: 'phone', summary: 'Called the customer' }),
  command('AssignCase', { agentId: 'agent-bob' }),
  command('EscalateCase', { reason: 'High value' }),
  command('AssessComplaint', { category: 'delivery', severity: 'low', justified: 'yes', rootCause: 'one-off', findings: '-' }),
  command('IssueApology', { channel: 'email', message: 'We are sorry' }),
  command('ExplainDecision', { channel: 'email', message: 'Here is why' }),
  command('CommunicateResolutionPlan', { planId: 'plan-9', actions: ['refund'], dueBy: after({ days: 1 }) }),
  command('RecordPlanResponse', { response: 'accepted' }, { by: CUSTOMER }),
  command('OfferGoodwill', { offerId: 'offer-9', kind: 'coupon', amount: 100, currency: 'EUR', withoutAdmission: true }),
  command('ApproveGoodwill', { offerId: 'offer-9' }, { by: SUPERVISOR }),
  command('DeclineGoodwill', { offerId: 'offer-9', reason: 'Too much' }, { by: SUPERVISOR }),
  command('RecordGoodwillResponse', { offerId: 'offer-9', response: 'accepted' }, { by: CUSTOMER }),
  command('FulfilGoodwill', { offerId: 'offer-9' }),
  command('ApplySystemFix', { fixId: 'fix-9', description: 'd', procedureChange: 'p', effectiveFrom: T0, customerNotified: true }),
  command('ResolveComplaint', { resolution: 'Done', outcome: 'partially-upheld' }),
  command('CompleteFollowUp', { satisfied: true, csat: 4 }, { by: CUSTOMER }),
  command('CloseCase', { reason: 'duplicate' }),
  command('ReopenCase', { reason: 'Not fixed' }, { by: CUSTOMER }),
  command('WithdrawComplaint', {}, { by: CUSTOMER }),
];
