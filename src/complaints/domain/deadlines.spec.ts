import type { ComplaintEvent } from './complaint.events';
import {
  CUSTOMER,
  SYSTEM,
  T0,
  after,
  assessed,
  closed,
  event,
  followedUp,
  received,
  reopened,
  resolved,
  withdrawn,
} from './complaint.test-fixtures';
import type { Regime } from './complaint.vocabulary';
import {
  currentOutcomes,
  evolveDeadlines,
  initialDeadlines,
  missedBeforeCancellation,
  type CaseDeadline,
  type PolicyKey,
} from './deadlines';
import { deadlinesOnReceipt, type DeadlineKind } from './deadline-policies';

// The fixtures receive a 'default' complaint at T0 (Monday 2025-03-03 09:00 UTC).
const DEFAULT: PolicyKey = { regime: 'default', receivedAt: T0 };
const VERSION = 'default@2026-01';
const ACK_DUE = after({ hours: 24 });
const FINAL_DUE = after({ days: 14 });
const RESOLVED_AT = after({ days: 3 });
const FOLLOW_UP_DUE = after({ days: 10 });

const ack = (at: string): ComplaintEvent => event('ComplaintAcknowledged', { channel: 'email', message: 'We have your complaint' }, { at });
const apology = (at: string): ComplaintEvent => event('ApologyIssued', { channel: 'email', message: 'Sorry' }, { at });
const breached = (kind: DeadlineKind, dueAt: string, at = after({ minutes: 1 }, dueAt)): ComplaintEvent =>
  event('DeadlineBreached', { kind, dueAt, policyVersion: VERSION }, { by: SYSTEM, at });

const pending = (kind: DeadlineKind, dueAt: string): CaseDeadline => ({ kind, dueAt, policyVersion: VERSION, status: 'pending' });
const undated = (kind: DeadlineKind): CaseDeadline => ({ kind, status: 'pending' });

/** The deadlines of a complaint received under `key`, after `history` (the events that followed its receipt). */
function given(history: readonly ComplaintEvent[], key: PolicyKey = DEFAULT) {
  const before = history.reduce<CaseDeadline[]>((deadlines, next) => evolveDeadlines(deadlines, next, key), initialDeadlines(key));
  return {
    deadlines: before,
    when: (next: ComplaintEvent) => ({
      then: (expected: readonly CaseDeadline[]) => expect(evolveDeadlines(before, next, key)).toEqual(expected),
    }),
  };
}

const deadlinesAfter = (history: readonly ComplaintEvent[], key?: PolicyKey): CaseDeadline[] => given(history, key).deadlines;

describe('deadlines: what a complaint is received with', () => {
  it.each<[Regime, CaseDeadline[]]>([
    ['default', [pending('acknowledgement', ACK_DUE), undated('substantive-response'), pending('final-response', FINAL_DUE)]],
    [
      'FCA',
      [
        { kind: 'acknowledgement', dueAt: '2025-03-04T23:59:59.999Z', policyVersion: 'FCA@2026-11', status: 'pending' },
        undated('substantive-response'),
        // 09:00 GMT + 8 weeks is 09:00 BST: an hour earlier in UTC.
        { kind: 'final-response', dueAt: '2025-04-28T08:00:00.000Z', policyVersion: 'FCA@2026-11', status: 'pending' },
      ],
    ],
    [
      'CFPB',
      [
        undated('acknowledgement'),
        // 04:00 EST in New York + 15 (60) days is 04:00 EDT.
        { kind: 'substantive-response', dueAt: '2025-03-18T08:00:00.000Z', policyVersion: 'CFPB@2026-11', status: 'pending' },
        { kind: 'final-response', dueAt: '2025-05-02T08:00:00.000Z', policyVersion: 'CFPB@2026-11', status: 'pending' },
      ],
    ],
  ])('%s: every kind but the follow-up, dated where the policy sets a due instant', (regime, expected) => {
    expect(initialDeadlines({ regime, receivedAt: T0 }, deadlinesOnReceipt(regime, T0))).toEqual(expected);
  });

  it('ignores a second receipt: the deadlines started with the first', () =>
    given([])
      .when(received({ at: after({ days: 1 }) }))
      .then(deadlinesAfter([])));
});

describe('deadlines: met by the events that answer them', () => {
  it.each<[string, ComplaintEvent, CaseDeadline]>([
    [
      'an answer before the due instant',
      ack(after({ hours: 1 })),
      { ...pending('acknowledgement', ACK_DUE), status: 'met', answeredAt: after({ hours: 1 }) },
    ],
    ['an answer at the very due instant', ack(ACK_DUE), { ...pending('acknowledgement', ACK_DUE), status: 'met', answeredAt: ACK_DUE }],
    [
      'a late answer, breached at its due instant',
      ack(after({ ms: 1 }, ACK_DUE)),
      {
        ...pending('acknowledgement', ACK_DUE),
        status: 'breached',
        answeredAt: after({ ms: 1 }, ACK_DUE),
        late: true,
        breachedAt: ACK_DUE,
      },
    ],
  ])('%s', (_case, answer, acknowledgement) =>
    given([])
      .when(answer)
      .then([acknowledgement, undated('substantive-response'), pending('final-response', FINAL_DUE)]),
  );

  it('an undated deadline is met whenever it is answered', () =>
    given([])
      .when(apology(after({ days: 30 })))
      .then([
        pending('acknowledgement', ACK_DUE),
        { ...undated('substantive-response'), status: 'met', answeredAt: after({ days: 30 }) },
        pending('final-response', FINAL_DUE),
      ]));

  it('the first answer meets it; later ones do not move it', () => {
    const history = [ack(after({ hours: 1 }))];
    given(history)
      .when(ack(after({ hours: 3 })))
      .then(deadlinesAfter(history));
  });

  it('a resolution meets the substantive and the final response and starts the follow-up, due 7 days later', () =>
    given([assessed('yes')])
      .when(resolved('upheld', { at: RESOLVED_AT }))
      .then([
        pending('acknowledgement', ACK_DUE),
        { ...undated('substantive-response'), status: 'met', answeredAt: RESOLVED_AT },
        { ...pending('final-response', FINAL_DUE), status: 'met', answeredAt: RESOLVED_AT },
        pending('follow-up', FOLLOW_UP_DUE),
      ]));

  it('the follow-up meets the follow-up', () =>
    given([resolved('upheld', { at: RESOLVED_AT })])
      .when(followedUp({ at: after({ days: 5 }) }))
      .then([
        pending('acknowledgement', ACK_DUE),
        { ...undated('substantive-response'), status: 'met', answeredAt: RESOLVED_AT },
        { ...pending('final-response', FINAL_DUE), status: 'met', answeredAt: RESOLVED_AT },
        { ...pending('follow-up', FOLLOW_UP_DUE), status: 'met', answeredAt: after({ days: 5 }) },
      ]));
});

describe('deadlines: cancelled by a withdrawal or a closure', () => {
  it('a withdrawal cancels what still runs and keeps what was met or breached', () => {
    const withdrawnAt = after({ days: 2 });
    given([breached('acknowledgement', ACK_DUE), apology(after({ days: 1 }))])
      .when(withdrawn({ at: withdrawnAt }))
      .then([
        { ...pending('acknowledgement', ACK_DUE), status: 'breached', breachedAt: after({ minutes: 1 }, ACK_DUE), breachRecorded: true },
        { ...undated('substantive-response'), status: 'met', answeredAt: after({ days: 1 }) },
        { ...pending('final-response', FINAL_DUE), status: 'cancelled', cancelledAt: withdrawnAt },
      ]);
  });

  it('closing a resolved case cancels its running follow-up', () => {
    const closedAt = after({ days: 4 });
    const history = [ack(after({ hours: 1 })), resolved('upheld', { at: RESOLVED_AT })];
    given(history)
      .when(closed('customer-unresponsive', { at: closedAt }))
      .then([
        ...deadlinesAfter(history).slice(0, 3),
        { ...pending('follow-up', FOLLOW_UP_DUE), status: 'cancelled', cancelledAt: closedAt },
      ]);
  });

  it('closing a followed-up case cancels nothing', () => {
    const history = [ack(after({ hours: 1 })), resolved('upheld', { at: RESOLVED_AT }), followedUp({ at: after({ days: 4 }) })];
    given(history).when(closed()).then(deadlinesAfter(history));
  });
});

describe('deadlines: a reopen restarts the final response and the follow-up', () => {
  it('keeps what became of the replaced ones (a running one ends cancelled) and starts a final response from the reopen', () => {
    const reopenedAt = after({ days: 4 });
    given([ack(after({ hours: 1 })), resolved('upheld', { at: RESOLVED_AT })])
      .when(reopened({ at: reopenedAt }))
      .then([
        { ...pending('acknowledgement', ACK_DUE), status: 'met', answeredAt: after({ hours: 1 }) },
        { ...undated('substantive-response'), status: 'met', answeredAt: RESOLVED_AT },
        { ...pending('final-response', FINAL_DUE), status: 'met', answeredAt: RESOLVED_AT, restartedAt: reopenedAt },
        { ...pending('follow-up', FOLLOW_UP_DUE), status: 'cancelled', restartedAt: reopenedAt },
        pending('final-response', after({ days: 14 }, reopenedAt)),
      ]);
  });

  it('a second reopen replaces only the deadlines the first one started', () => {
    const history = [
      resolved('upheld', { at: RESOLVED_AT }),
      reopened({ at: after({ days: 4 }) }),
      resolved('upheld', { at: after({ days: 5 }) }),
    ];
    const replaced = deadlinesAfter([...history, reopened({ at: after({ days: 6 }) })]).filter(
      (deadline) => deadline.restartedAt !== undefined,
    );
    expect(replaced.map(({ kind, restartedAt }) => [kind, restartedAt])).toEqual([
      ['final-response', after({ days: 4 })],
      ['follow-up', after({ days: 4 })],
      ['final-response', after({ days: 6 })],
      ['follow-up', after({ days: 6 })],
    ]);
  });
});

describe('deadlines: DeadlineBreached records the breach of the deadline of its kind and due instant', () => {
  const unanswered = (recordedAt: string): CaseDeadline[] => [
    { ...pending('acknowledgement', ACK_DUE), status: 'breached', breachedAt: recordedAt, breachRecorded: true },
    undated('substantive-response'),
    pending('final-response', FINAL_DUE),
  ];

  it('an unanswered deadline is breached when the clock records it', () =>
    given([])
      .when(breached('acknowledgement', ACK_DUE, after({ hours: 2 }, ACK_DUE)))
      .then(unanswered(after({ hours: 2 }, ACK_DUE))));

  it('the due instant may be written in another ISO-8601 form', () =>
    given([])
      .when(breached('acknowledgement', '2025-03-04T09:00:00Z', after({ hours: 2 }, ACK_DUE)))
      .then(unanswered(after({ hours: 2 }, ACK_DUE))));

  it('a deadline answered late stays breached at its due instant', () =>
    given([ack(after({ hours: 30 }))])
      .when(breached('acknowledgement', ACK_DUE, after({ hours: 31 })))
      .then([
        {
          ...pending('acknowledgement', ACK_DUE),
          status: 'breached',
          answeredAt: after({ hours: 30 }),
          late: true,
          breachedAt: ACK_DUE,
          breachRecorded: true,
        },
        undated('substantive-response'),
        pending('final-response', FINAL_DUE),
      ]));

  it('an answer after the record does not meet it', () => {
    const history = [breached('acknowledgement', ACK_DUE)];
    given(history)
      .when(ack(after({ days: 2 })))
      .then(deadlinesAfter(history));
  });

  it('leaves a deadline of the same kind with another due instant alone', () => {
    const history = [resolved('upheld', { at: RESOLVED_AT }), reopened({ at: after({ days: 4 }) })];
    given(history)
      .when(breached('follow-up', after({ days: 11 })))
      .then(deadlinesAfter(history));
  });

  it('the breach of a deadline a reopen replaced leaves the new one running', () => {
    const history = [resolved('upheld', { at: after({ days: 15 }) }), reopened({ at: after({ days: 16 }) })];
    const [first, second] = deadlinesAfter([...history, breached('final-response', FINAL_DUE, after({ days: 17 }))]).filter(
      (deadline) => deadline.kind === 'final-response',
    );
    expect(first).toMatchObject({ dueAt: FINAL_DUE, status: 'breached', breachedAt: FINAL_DUE, breachRecorded: true });
    expect(second).toEqual(pending('final-response', after({ days: 30 })));
  });
});

describe('deadlines: the current outcome per kind, as the decider reads it', () => {
  it.each<[string, ComplaintEvent[], ReturnType<typeof currentOutcomes>]>([
    ['none while every deadline runs', [assessed('yes')], undefined],
    [
      'a late answer is met until the clock records the breach',
      [ack(after({ hours: 30 }))],
      { acknowledgement: { outcome: 'met', at: after({ hours: 30 }) } },
    ],
    [
      'a recorded breach is breached at its due instant',
      [ack(after({ hours: 30 })), breached('acknowledgement', ACK_DUE)],
      { acknowledgement: { outcome: 'breached', at: ACK_DUE } },
    ],
    [
      'a cancelled deadline, when it was cancelled',
      [withdrawn({ at: after({ hours: 2 }) })],
      {
        acknowledgement: { outcome: 'cancelled', at: after({ hours: 2 }) },
        'substantive-response': { outcome: 'cancelled', at: after({ hours: 2 }) },
        'final-response': { outcome: 'cancelled', at: after({ hours: 2 }) },
      },
    ],
    [
      'a reopen clears the final response and the follow-up',
      [resolved('upheld', { at: RESOLVED_AT }), followedUp({ at: after({ days: 4 }) }), reopened({ at: after({ days: 5 }) })],
      { 'substantive-response': { outcome: 'met', at: RESOLVED_AT } },
    ],
    [
      "the breach of a replaced final response is not the current one's",
      [
        resolved('upheld', { at: after({ days: 15 }) }),
        reopened({ at: after({ days: 16 }) }),
        breached('final-response', FINAL_DUE, after({ days: 17 })),
      ],
      { 'substantive-response': { outcome: 'met', at: after({ days: 15 }) } },
    ],
  ])('%s', (_case, history, expected) => {
    expect(currentOutcomes(deadlinesAfter(history))).toEqual(expected);
  });
});

describe('deadlines: missed before they were cancelled', () => {
  it.each<[string, CaseDeadline['status'], string | undefined, boolean]>([
    ['cancelled after its due instant', 'cancelled', after({ ms: 1 }, ACK_DUE), true],
    ['cancelled at its very due instant', 'cancelled', ACK_DUE, false],
    ['cancelled before it fell due', 'cancelled', after({ hours: 1 }), false],
    ['with no end to compare with', 'cancelled', undefined, false],
    ['not cancelled', 'pending', after({ days: 2 }), false],
  ])('%s', (_case, status, endedAt, missed) => {
    expect(missedBeforeCancellation({ dueAt: ACK_DUE, status }, endedAt)).toBe(missed);
  });
});

it('never changes the deadlines it is given', () => {
  const before = deadlinesAfter([ack(after({ hours: 1 })), resolved('upheld', { at: RESOLVED_AT })]);
  const snapshot = structuredClone(before);
  for (const next of [breached('follow-up', FOLLOW_UP_DUE), closed(), reopened({ by: CUSTOMER })]) evolveDeadlines(before, next, DEFAULT);
  expect(before).toEqual(snapshot);
});
