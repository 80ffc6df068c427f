import { after, command } from '../../complaints/domain/complaint.test-fixtures';
import { complaintDecider, type ComplaintCommand } from '../../complaints/domain/complaint.decider';
import type { ComplaintEvent } from '../../complaints/domain/complaint.events';
import { fold } from '../../core/decider';
import type { CaseView } from '../../complaints/projections/case-view/case-view';
import { evolveCaseView } from '../../complaints/projections/case-view/case-view.evolve';
import {
  caseFacts,
  closureBucket,
  deadlineRows,
  factsState,
  firstResponseBucket,
  fixRows,
  goodwillRows,
  grantedGoodwillKind,
  recoveryOf,
} from './case-facts';

const T0 = '2025-03-03T09:00:00.000Z'; // a Monday
const CUSTOMER = { id: 'cust-1', role: 'customer' } as const;

/** Decides the commands in turn and folds the case view from the events, as the projection would see them. */
function view(commands: ComplaintCommand[], keep: (view: CaseView) => CaseView = (folded) => folded): CaseView {
  const decider = complaintDecider();
  const events: ComplaintEvent[] = [];
  for (const next of commands) events.push(...decider.decide(next, fold(decider, events)));
  let folded: CaseView | null = null;
  events.forEach((event, revision) => {
    folded = keep(
      evolveCaseView(folded, {
        ...event,
        id: `e${revision}`,
        streamName: 'complaint-k1',
        revision,
        position: revision + 1,
        metadata: {},
        recordedAt: T0,
      }),
    );
  });
  return folded!;
}

const at = (minutes: number) => ({ at: after({ minutes }, T0) });
const received = command(
  'ReceiveComplaint',
  { caseId: 'k1', customerId: 'cust-1', channel: 'email', summary: 's', regime: 'default', orderValue: { amount: 9_000, currency: 'GBP' } },
  { at: T0 },
);
const assessed = (justified: 'yes' | 'no' = 'yes') =>
  command(
    'AssessComplaint',
    { category: 'delivery', severity: 'low', justified, rootCause: justified === 'no' ? 'customer-error' : 'one-off', findings: 'f' },
    at(10),
  );
const resolved = (minutes = 60) => command('ResolveComplaint', { resolution: 'r', outcome: 'upheld' }, at(minutes));
const followedUp = (satisfied: boolean, minutes = 120) =>
  command('CompleteFollowUp', { satisfied, csat: satisfied ? 5 : 1 }, { by: CUSTOMER, ...at(minutes) });

describe('case facts for loyalty', () => {
  describe('summary resolution (FCA DISP 1.5: resolved by the end of the 3rd business day after receipt)', () => {
    const fca = { ...received, data: { ...received.data, regime: 'FCA' as const } } as ComplaintCommand;
    const resolvedFca = (minutes: number, summaryResolution?: boolean) =>
      command('ResolveComplaint', { resolution: 'r', outcome: 'upheld', ...(summaryResolution ? { summaryResolution } : {}) }, at(minutes));
    const summary = (facts: ReturnType<typeof caseFacts>) => [facts.summary_resolution_qualifies, facts.summary_resolution_sent];

    it('given an FCA case resolved within the window with a full final response, then it qualifies but no summary communication was sent', () =>
      expect(summary(caseFacts(view([fca, assessed(), resolvedFca(60)])))).toEqual([1, 0]));

    it('given one resolved within the window by the summary route, then it qualifies and the communication was sent', () =>
      expect(summary(caseFacts(view([fca, assessed(), resolvedFca(60, true)])))).toEqual([1, 1]));

    it('given one resolved after the window (a week later), then it does not qualify', () =>
      expect(summary(caseFacts(view([fca, assessed(), resolvedFca(7 * 24 * 60)])))).toEqual([0, 0]));

    it('given a regime without a window, then neither applies', () =>
      expect(summary(caseFacts(view([received, assessed(), resolved()])))).toEqual([null, null]));
  });

  it.each<[string, string, ComplaintCommand[]]>([
    ['just received', 'open', [received]],
    ['resolved, awaiting follow-up', 'open', [received, assessed(), resolved()]],
    ['resolved and satisfied', 'recovered', [received, assessed(), resolved(), followedUp(true)]],
    [
      'resolved, satisfied and closed',
      'recovered',
      [received, assessed(), resolved(), followedUp(true), command('CloseCase', {}, at(130))],
    ],
    ['resolved and not satisfied', 'not-recovered', [received, assessed(), resolved(), followedUp(false)]],
    ['closed unresolved', 'not-recovered', [received, command('CloseCase', { reason: 'customer-unresponsive' }, at(300))]],
    [
      'resolved and closed without a follow-up',
      'not-recovered',
      [received, assessed(), resolved(), command('CloseCase', { reason: 'referred-to-ombudsman' }, at(300))],
    ],
    [
      'unsatisfied, reopened: open again',
      'open',
      [received, assessed(), resolved(), followedUp(false), command('ReopenCase', { reason: 'no' }, at(200))],
    ],
    [
      'reopened, resolved again and satisfied',
      'recovered',
      [
        received,
        assessed(),
        resolved(),
        followedUp(false),
        command('ReopenCase', { reason: 'no' }, at(200)),
        resolved(300),
        followedUp(true, 400),
      ],
    ],
    ['withdrawn', 'withdrawn', [received, command('WithdrawComplaint', {}, { by: CUSTOMER, ...at(5) })]],
    [
      'withdrawn and closed',
      'withdrawn',
      [received, command('WithdrawComplaint', {}, { by: CUSTOMER, ...at(5) }), command('CloseCase', {}, at(6))],
    ],
  ])('classifies a case %s as %s', (_, recovery, commands) => {
    expect(recoveryOf(view(commands))).toBe(recovery);
  });

  it('buckets the time to first response', () => {
    expect(firstResponseBucket(T0, undefined)).toBe('none');
    expect(firstResponseBucket(T0, after({ minutes: 60 }, T0))).toBe('0-1h');
    expect(firstResponseBucket(T0, after({ minutes: 61 }, T0))).toBe('1-24h');
    expect(firstResponseBucket(T0, after({ hours: 24 }, T0))).toBe('1-24h');
    expect(firstResponseBucket(T0, after({ hours: 72 }, T0))).toBe('1-3d');
    expect(firstResponseBucket(T0, after({ days: 7 }, T0))).toBe('3-7d');
    expect(firstResponseBucket(T0, after({ days: 7, ms: 1 }, T0))).toBe('7d+');
  });

  it('buckets the time to closure as regulators report it', () => {
    expect(closureBucket(T0, undefined)).toBe('open');
    expect(closureBucket(T0, '2025-03-06T23:59:59.999Z')).toBe('within-3-business-days');
    expect(closureBucket('2025-03-07T09:00:00.000Z', '2025-03-12T23:00:00.000Z')).toBe('within-3-business-days'); // Friday → Wednesday
    expect(closureBucket(T0, '2025-03-07T00:00:00.000Z')).toBe('within-4-weeks');
    expect(closureBucket(T0, after({ days: 28 }, T0))).toBe('within-4-weeks');
    expect(closureBucket(T0, after({ days: 28, ms: 1 }, T0))).toBe('within-8-weeks');
    expect(closureBucket(T0, after({ days: 56 }, T0))).toBe('within-8-weeks');
    expect(closureBucket(T0, after({ days: 56, ms: 1 }, T0))).toBe('over-8-weeks');
  });

  it('labels a case by the kind of its largest granted goodwill', () => {
    const offer = (offerId: string, kind: 'coupon' | 'credit' | 'partial-refund', amount: number, minutes: number) =>
      command('OfferGoodwill', { offerId, kind, amount, currency: 'GBP', withoutAdmission: true }, at(minutes));
    const accept = (offerId: string, minutes: number) =>
      command('RecordGoodwillResponse', { offerId, response: 'accepted' }, { by: CUSTOMER, ...at(minutes) });
    expect(grantedGoodwillKind(view([received, offer('a', 'coupon', 500, 20)]))).toBe('none');
    expect(
      grantedGoodwillKind(
        view([
          received,
          offer('a', 'coupon', 500, 20),
          accept('a', 21),
          offer('b', 'partial-refund', 2_000, 22),
          accept('b', 23),
          offer('c', 'credit', 3_000, 24),
        ]),
      ),
    ).toBe('partial-refund');
  });

  it('counts a deadline cancelled by withdrawal or closure after it fell due as breached; closing leaves the final response owed', () => {
    const late = view([received, command('CloseCase', { reason: 'customer-unresponsive' }, { at: after({ days: 20 }, T0) })]);
    expect(deadlineRows(late).map((row) => [row.kind, row.status])).toEqual([
      ['acknowledgement', 'breached'],
      ['final-response', 'pending'],
    ]);
    const early = view([received, command('WithdrawComplaint', {}, { by: CUSTOMER, ...at(5) })]);
    expect(deadlineRows(early).map((row) => [row.kind, row.status])).toEqual([
      ['acknowledgement', 'cancelled'],
      ['final-response', 'cancelled'],
    ]);
  });

  it('derives the row of a case', () => {
    const facts = caseFacts(
      view([received, assessed(), command('IssueApology', { channel: 'email', message: 'sorry' }, at(30)), resolved(), followedUp(true)]),
    );
    expect(facts).toEqual(
      expect.objectContaining({
        case_id: 'k1',
        customer_id: 'cust-1',
        received_at: T0,
        channel: 'email',
        regime: 'default',
        category: 'delivery',
        justified: 'yes',
        root_cause: 'one-off',
        status: 'resolved',
        recovery: 'recovered',
        outcome: 'upheld',
        satisfied: 1,
        csat: 5,
        first_response_at: after({ minutes: 30 }, T0),
        first_response_bucket: '0-1h',
        resolved_at: after({ minutes: 60 }, T0),
        closure_bucket: 'within-3-business-days',
        reopen_count: 0,
        goodwill_kind: 'none',
      }),
    );
  });

  it('folds to the same facts from the kept state (no words) as from the full case view, and keeps none of the words', () => {
    const lifecycle = [
      { ...received, data: { ...received.data, details: 'd', contact: { email: 'c@example.com' }, orderRef: 'o-1' } } as ComplaintCommand,
      command('LogCustomerContact', { direction: 'inbound', channel: 'phone', summary: 'called' }, at(10)),
      assessed(),
      command('IssueApology', { channel: 'email', message: 'sorry' }, at(30)),
      command('OfferGoodwill', { offerId: 'g1', kind: 'partial-refund', amount: 500, currency: 'GBP', withoutAdmission: true }, at(40)),
      resolved(),
      followedUp(false),
      command('ReopenCase', { reason: 'no' }, at(200)),
      resolved(300),
      followedUp(true, 400),
      command('CloseCase', {}, at(500)),
    ];
    const full = view(lifecycle);
    const kept = view(lifecycle, factsState);
    const { document: _full, ...fullFacts } = caseFacts(full);
    const { document, ...keptFacts } = caseFacts(kept);
    expect(keptFacts).toEqual(fullFacts);
    for (const rows of [goodwillRows, fixRows, deadlineRows]) expect(rows(kept)).toEqual(rows(full));
    for (const words of ['c@example.com', 'o-1', 'called', 'sorry', '"d"']) expect(document).not.toContain(words);
    expect(document.length).toBeLessThan(JSON.stringify(full).length);
  });
});
