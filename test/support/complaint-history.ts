/**
 * A realistic complaint log for read-side tests: cases driven through the real decider and the one
 * command path (`handleCommand`), so every event is shaped, stamped and ordered as in production.
 * Scenarios cover every case-view branch: goodwill with approval, plans, reopen, withdrawal,
 * deadline breaches, several regimes. Streams are interleaved so a batch spans many cases.
 */
import { handleCommand } from '../../src/core/command-handling';
import { uuidV5 } from '../../src/core/deterministic-id';
import type { EventStore, RecordedEvent } from '../../src/core/event-store/event-store.port';
import { eventStoreOfKind } from '../../src/core/event-store/upcasting-event-store';
import { Queryable, narrowTables } from '../../src/core/read-store/read-store';
import { complaintDecider, complaintStreamName, type ComplaintCommand } from '../../src/complaints/domain/complaint.decider';
import { COMPLAINT_UPCASTERS } from '../../src/complaints/domain/complaint.upcasters';
import { CUSTOMER, SUPERVISOR, SYSTEM, after, command } from '../../src/complaints/domain/complaint.test-fixtures';
import type { Channel, Regime } from '../../src/complaints/domain/complaint.vocabulary';
import type { Actor } from '../../src/kernel/actor';
import { deadlinesOnReceipt } from '../../src/complaints/domain/deadline-policies';
import type { CaseView } from '../../src/complaints/projections/case-view/case-view';
import { caseViewProjection } from '../../src/complaints/projections/case-view/case-view.projection';
import { CASE_VIEWS_TABLE, type CaseViewTables } from '../../src/complaints/projections/case-view/case-view.table';

export const HISTORY_START = '2025-03-03T09:00:00.000Z';
const BOB: Actor = { id: 'agent-bob', role: 'agent' };

interface CaseSeed {
  readonly caseId: string;
  readonly customerId: string;
  /** When the complaint was received; two cases share each instant, so sorts need their id tie-break. */
  readonly base: string;
}

type Scenario = (seed: CaseSeed) => ComplaintCommand[];

const received = (seed: CaseSeed, regime: Regime, channel: Channel, extra: Record<string, unknown> = {}) =>
  command(
    'ReceiveComplaint',
    {
      caseId: seed.caseId,
      customerId: seed.customerId,
      channel,
      regime,
      summary: `Complaint ${seed.caseId.slice(0, 8)}`,
      receivedAt: seed.base,
      ...extra,
    },
    { at: seed.base },
  );

const SCENARIOS: readonly Scenario[] = [
  // Just received.
  (seed) => [received(seed, 'default', 'web')],
  // The happy path: acknowledged, assessed, apologised, goodwill within the agent's limit, resolved, followed up, closed.
  (seed) => {
    const t = (minutes: number) => after({ minutes }, seed.base);
    return [
      received(seed, 'default', 'email', {
        details: 'Box crushed',
        remedySought: 'Replacement',
        orderRef: 'order-1',
        orderValue: { amount: 4_999, currency: 'EUR' },
      }),
      command('AcknowledgeComplaint', { channel: 'email', message: 'We have your complaint' }, { at: t(30) }),
      command('AssignCase', { agentId: 'agent-bob', team: 'desk-1' }, { at: t(40) }),
      command('LogCustomerContact', { direction: 'outbound', channel: 'phone', summary: 'Called back' }, { at: t(60) }),
      command(
        'AssessComplaint',
        { category: 'delivery', severity: 'medium', justified: 'yes', rootCause: 'one-off', findings: 'Courier dropped it' },
        { at: t(120) },
      ),
      command('IssueApology', { channel: 'email', message: 'We are sorry' }, { at: t(130) }),
      command(
        'OfferGoodwill',
        { offerId: 'offer-a', kind: 'coupon', amount: 1_500, currency: 'EUR', withoutAdmission: true, description: '15 off' },
        { at: t(140) },
      ),
      command('RecordGoodwillResponse', { offerId: 'offer-a', response: 'accepted' }, { by: CUSTOMER, at: t(180) }),
      command('FulfilGoodwill', { offerId: 'offer-a', reference: 'coupon-123' }, { at: t(240) }),
      command('ResolveComplaint', { resolution: 'Replacement sent', outcome: 'upheld' }, { at: t(300) }),
      command('CompleteFollowUp', { satisfied: true, csat: 5, nps: 9, comment: 'Great' }, { by: CUSTOMER, at: t(2 * 24 * 60) }),
      command('CloseCase', {}, { at: t(2 * 24 * 60 + 60) }),
    ];
  },
  // FCA: not justified, explained, rejected, reopened by the customer, rejected again, unhappy follow-up, closed.
  (seed) => {
    const t = (minutes: number) => after({ minutes }, seed.base);
    return [
      received(seed, 'FCA', 'phone'),
      command('AcknowledgeComplaint', { channel: 'phone', message: 'Noted' }, { at: t(10) }),
      command(
        'AssessComplaint',
        { category: 'billing', severity: 'low', justified: 'no', rootCause: 'customer-error', findings: 'Paid twice by hand' },
        { at: t(600) },
      ),
      command('ExplainDecision', { channel: 'letter', message: 'Both payments were yours' }, { at: t(700) }),
      command('ResolveComplaint', { resolution: 'No error found', outcome: 'rejected' }, { at: t(24 * 60) }),
      command('ReopenCase', { reason: 'I still disagree' }, { by: CUSTOMER, at: t(3 * 24 * 60) }),
      command(
        'LogCustomerContact',
        { direction: 'inbound', channel: 'email', summary: 'Sent bank statement' },
        { by: CUSTOMER, at: t(3 * 24 * 60 + 5) },
      ),
      command('ResolveComplaint', { resolution: 'Refund of the duplicate', outcome: 'partially-upheld' }, { at: t(5 * 24 * 60) }),
      command('CompleteFollowUp', { satisfied: false, csat: 2 }, { by: CUSTOMER, at: t(6 * 24 * 60) }),
      command('CloseCase', { note: 'Customer still unhappy' }, { at: t(6 * 24 * 60 + 1) }),
    ];
  },
  // CFPB: systemic and justified, system fix, plan accepted, a refund above the agent's limit approved, fulfilled, resolved.
  (seed) => {
    const t = (minutes: number) => after({ minutes }, seed.base);
    return [
      received(seed, 'CFPB', 'chat', { orderRef: 'order-2', orderValue: { amount: 20_000, currency: 'USD' } }),
      command('AssignCase', { agentId: 'agent-ann' }, { at: t(5) }),
      command(
        'AssessComplaint',
        { category: 'product-defect', severity: 'high', justified: 'yes', rootCause: 'systemic', findings: 'Firmware bug' },
        { at: t(60) },
      ),
      command(
        'ApplySystemFix',
        { fixId: 'fix-1', description: 'Patched firmware', procedureChange: 'QA gate', effectiveFrom: t(90), customerNotified: true },
        { at: t(90) },
      ),
      command('CommunicateResolutionPlan', { planId: 'plan-1', actions: ['refund', 'replace'], dueBy: t(10 * 24 * 60) }, { at: t(100) }),
      command('RecordPlanResponse', { response: 'accepted', comment: 'Fine' }, { by: CUSTOMER, at: t(200) }),
      command(
        'OfferGoodwill',
        { offerId: 'offer-r', kind: 'partial-refund', amount: 8_000, currency: 'USD', withoutAdmission: false },
        { at: t(210) },
      ),
      command('ApproveGoodwill', { offerId: 'offer-r', note: 'Justified' }, { by: SUPERVISOR, at: t(220) }),
      command('RecordGoodwillResponse', { offerId: 'offer-r', response: 'accepted' }, { by: CUSTOMER, at: t(230) }),
      command('FulfilGoodwill', { offerId: 'offer-r' }, { at: t(240) }),
      command('ResolveComplaint', { resolution: 'Refunded and replaced', outcome: 'upheld' }, { at: t(250) }),
    ];
  },
  // ASIC: withdrawn by the customer, then closed.
  (seed) => [
    received(seed, 'ASIC', 'letter'),
    command('WithdrawComplaint', { reason: 'Sorted it myself' }, { by: CUSTOMER, at: after({ hours: 2 }, seed.base) }),
    command('CloseCase', {}, { at: after({ hours: 3 }, seed.base) }),
  ],
  // Default: the acknowledgement deadline breached by the clock, late acknowledgement, escalation, goodwill declined twice over.
  (seed) => {
    const acknowledgement = deadlinesOnReceipt('default', seed.base).find((deadline) => deadline.kind === 'acknowledgement')!;
    const t = (minutes: number) => after({ minutes }, acknowledgement.dueAt);
    return [
      received(seed, 'default', 'social'),
      command('AssignCase', { agentId: 'agent-cy', team: 'social' }, { at: after({ minutes: 15 }, seed.base) }),
      command(
        'RecordDeadlineBreach',
        { kind: 'acknowledgement', dueAt: acknowledgement.dueAt, policyVersion: acknowledgement.policyVersion },
        { by: SYSTEM, at: t(1) },
      ),
      command('AcknowledgeComplaint', { channel: 'social', message: 'Sorry for the wait' }, { at: t(5) }),
      command('EscalateCase', { reason: 'Public complaint', team: 'social-leads' }, { at: t(10) }),
      command(
        'AssessComplaint',
        { category: 'service', severity: 'critical', justified: 'partly', rootCause: 'third-party', findings: 'Partner was rude' },
        { at: t(60) },
      ),
      command(
        'OfferGoodwill',
        { offerId: 'offer-big', kind: 'credit', amount: 60_000, currency: 'EUR', withoutAdmission: true },
        { at: t(70) },
      ),
      command('DeclineGoodwill', { offerId: 'offer-big', reason: 'Too generous' }, { by: SUPERVISOR, at: t(80) }),
      command(
        'OfferGoodwill',
        { offerId: 'offer-small', kind: 'coupon', amount: 2_000, currency: 'EUR', withoutAdmission: true },
        { at: t(90) },
      ),
      command(
        'RecordGoodwillResponse',
        { offerId: 'offer-small', response: 'declined', comment: 'Not interested' },
        { by: CUSTOMER, at: t(100) },
      ),
      command('ResolveComplaint', { resolution: 'Partner retrained', outcome: 'partially-upheld' }, { at: t(120) }),
    ];
  },
  // FCA: a plan rejected, a second plan, escalated twice; still open.
  (seed) => {
    const t = (minutes: number) => after({ minutes }, seed.base);
    return [
      received(seed, 'FCA', 'in-person'),
      command('AcknowledgeComplaint', { channel: 'in-person', message: 'Logged at the branch' }, { by: BOB, at: t(1) }),
      command('CommunicateResolutionPlan', { planId: 'plan-a', actions: ['investigate'], dueBy: t(7 * 24 * 60) }, { at: t(60) }),
      command('RecordPlanResponse', { response: 'rejected', comment: 'Too slow' }, { by: CUSTOMER, at: t(120) }),
      command(
        'CommunicateResolutionPlan',
        { planId: 'plan-b', actions: ['investigate', 'call back'], dueBy: t(3 * 24 * 60) },
        { at: t(180) },
      ),
      command('EscalateCase', { reason: 'Rejected plan' }, { at: t(190) }),
      command('EscalateCase', { reason: 'Still unhappy', level: 3 }, { by: SUPERVISOR, at: t(200) }),
    ];
  },
  // CFPB: assessed and apologised for; in progress.
  (seed) => [
    received(seed, 'CFPB', 'email'),
    command(
      'AssessComplaint',
      { category: 'delivery', severity: 'low', justified: 'partly', rootCause: 'unknown', findings: 'Unclear' },
      { at: after({ hours: 5 }, seed.base) },
    ),
    command('IssueApology', { channel: 'email', message: 'Sorry for the trouble' }, { at: after({ hours: 6 }, seed.base) }),
  ],
  // Withdrawn, not yet closed.
  (seed) => [received(seed, 'default', 'phone'), command('WithdrawComplaint', {}, { by: CUSTOMER, at: after({ minutes: 20 }, seed.base) })],
];

export interface ComplaintHistory {
  readonly caseIds: readonly string[];
  readonly customerIds: readonly string[];
  /** Global position of the last event written. */
  readonly head: number;
}

/**
 * Writes `cases` complaints (scenarios in rotation), one command at a time, round-robin across cases,
 * through the complaint streams' store as the service does. Deterministic apart from positions already
 * in the store and `recordedAt`.
 */
export async function writeComplaintHistory(
  store: EventStore,
  options: { cases: number; idPrefix?: string; start?: string },
): Promise<ComplaintHistory> {
  const complaints = eventStoreOfKind(store, COMPLAINT_UPCASTERS);
  const prefix = options.idPrefix ?? 'history';
  const start = options.start ?? HISTORY_START;
  const decider = complaintDecider();
  const plans = Array.from({ length: options.cases }, (_, index) => {
    const seed: CaseSeed = {
      caseId: uuidV5(`case/${prefix}/${index}`),
      customerId: `cust-${index % 7}`,
      base: after({ hours: Math.floor(index / 2) * 3 }, start),
    };
    return { seed, commands: SCENARIOS[index % SCENARIOS.length](seed) };
  });
  let head = 0;
  const longest = Math.max(0, ...plans.map((plan) => plan.commands.length));
  for (let step = 0; step < longest; step++) {
    for (const { seed, commands } of plans) {
      const next = commands[step];
      if (!next) continue;
      const commandId = `${prefix}/${seed.caseId}/${step}`;
      const result = await handleCommand(complaints, decider, complaintStreamName(seed.caseId), next, {
        commandId,
        correlationId: commandId,
        causationId: commandId,
        actor: next.by,
        occurredAt: next.at,
      });
      head = Math.max(head, result.position);
    }
  }
  return {
    caseIds: plans.map((plan) => plan.seed.caseId),
    customerIds: [...new Set(plans.map((plan) => plan.seed.customerId))],
    head,
  };
}

// ── The expected read model ──────────────────────────────────────────────────

/** A case_views row as compared in tests: the document parsed, the indexed columns as stored. */
export interface CaseViewRecord {
  id: string;
  document: CaseView;
  [column: string]: unknown;
}

/** The case views the events imply, folded in memory with the projection's own pure functions (up to `upTo`, inclusive). */
export function expectedCaseViews(
  events: readonly RecordedEvent[],
  upTo = Number.POSITIVE_INFINITY,
  evolve: (doc: CaseView | null, event: RecordedEvent) => CaseView | null = caseViewProjection.definition.evolve,
): CaseViewRecord[] {
  const { definition } = caseViewProjection;
  const docs = new Map<string, CaseView | null>();
  for (const event of events) {
    if (event.position > upTo) break;
    const key = definition.keyOf(event);
    if (key === undefined) continue;
    docs.set(key, evolve(docs.get(key) ?? null, event));
  }
  return [...docs]
    .filter((entry): entry is [string, CaseView] => entry[1] !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, document]) => ({ id, document, ...definition.columns(document) }));
}

/** Every case_views row, ordered by id, with its document parsed. */
export async function readCaseViews<DB extends CaseViewTables>(db: Queryable<DB>): Promise<CaseViewRecord[]> {
  const rows = await narrowTables<DB, CaseViewTables>(db).selectFrom(CASE_VIEWS_TABLE).selectAll().execute();
  return rows
    .map((row): CaseViewRecord => ({ ...row, document: JSON.parse(row.document) as CaseView }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
