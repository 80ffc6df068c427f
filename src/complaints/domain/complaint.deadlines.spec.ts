import { fold } from '../../core/decider';
import { complaintDecider } from './complaint.decider';
import type { ComplaintEvent } from './complaint.events';
import { caseExists, type ComplaintCase } from './complaint.state';
import {
  ACK_DUE,
  FINAL_DUE,
  FOLLOW_UP_DUE,
  RESOLVED_AT,
  T0,
  ack,
  after,
  assessed,
  breached,
  closed,
  event,
  followedUp,
  followedUpCase,
  openCase,
  received,
  reopened,
  resolved,
  resolvedCase,
  withdrawn,
} from './complaint.test-fixtures';

const decider = complaintDecider();

function caseOf(events: ComplaintEvent[]): ComplaintCase {
  const state = fold(decider, events);
  if (!caseExists(state)) throw new Error('expected a case');
  return state;
}

describe('Deadlines: the case state', () => {
  it('has no deadline outcomes on receipt', () => {
    const state = caseOf(openCase());
    expect(state.deadlines).toBeUndefined();
    expect(state.breachedDeadlines).toBeUndefined();
  });

  it('the first meeting event meets a deadline; later ones do not move it', () => {
    const state = caseOf([
      ...openCase(),
      ack(after({ hours: 1 })),
      ack(after({ hours: 3 })),
      event('ApologyIssued', { channel: 'email', message: 'Sorry' }, { at: after({ hours: 2 }) }),
    ]);
    expect(state.deadlines).toEqual({
      acknowledgement: { outcome: 'met', at: after({ hours: 1 }) },
      'substantive-response': { outcome: 'met', at: after({ hours: 2 }) },
    });
  });

  it('a resolution meets the substantive and the final response; the follow-up meets the follow-up', () => {
    expect(
      caseOf([received(), assessed('yes'), resolved('upheld', { at: RESOLVED_AT }), followedUp({ at: FOLLOW_UP_DUE })]).deadlines,
    ).toEqual({
      'substantive-response': { outcome: 'met', at: RESOLVED_AT },
      'final-response': { outcome: 'met', at: RESOLVED_AT },
      'follow-up': { outcome: 'met', at: FOLLOW_UP_DUE },
    });
  });

  it('a breach is breached at its due instant and recorded; a late answer leaves it breached', () => {
    const state = caseOf([...openCase(), breached('acknowledgement', ACK_DUE), ack(after({ days: 2 }))]);
    expect(state.deadlines).toEqual({ acknowledgement: { outcome: 'breached', at: ACK_DUE } });
    expect(state.breachedDeadlines).toEqual([{ kind: 'acknowledgement', dueAt: ACK_DUE }]);
  });

  it('an answer that came late becomes breached once the clock records the breach', () => {
    expect(caseOf([...openCase(), ack(after({ hours: 30 })), breached('acknowledgement', ACK_DUE)]).deadlines).toEqual({
      acknowledgement: { outcome: 'breached', at: ACK_DUE },
    });
  });

  it('a withdrawal cancels what still runs, and keeps what was met or breached', () => {
    const withdrawnAt = after({ days: 1 });
    expect(caseOf([...openCase(), breached('acknowledgement', ACK_DUE), withdrawn({ at: withdrawnAt })]).deadlines).toEqual({
      acknowledgement: { outcome: 'breached', at: ACK_DUE },
      'substantive-response': { outcome: 'cancelled', at: withdrawnAt },
      'final-response': { outcome: 'cancelled', at: withdrawnAt },
    });
  });

  it('closing a resolved case cancels its running follow-up; closing a followed-up case cancels nothing it met', () => {
    const closedAt = after({ days: 5 });
    expect(caseOf([...resolvedCase(), ack(after({ days: 4 })), closed('customer-unresponsive', { at: closedAt })]).deadlines).toEqual({
      acknowledgement: { outcome: 'met', at: after({ days: 4 }) },
      'substantive-response': { outcome: 'met', at: T0 },
      'final-response': { outcome: 'met', at: T0 },
      'follow-up': { outcome: 'cancelled', at: closedAt },
    });
    expect(caseOf([...followedUpCase(), closed()]).deadlines?.['follow-up']).toEqual({ outcome: 'met', at: T0 });
  });

  it('a reopen restarts final response and follow-up, keeps acknowledgement, substantive response and every recorded breach', () => {
    const state = caseOf([
      ...openCase(),
      ack(after({ hours: 1 })),
      assessed('yes'),
      breached('final-response', FINAL_DUE),
      resolved('upheld', { at: after({ days: 15 }) }),
      breached('follow-up', after({ days: 22 })),
      closed('customer-unresponsive', { at: after({ days: 23 }) }),
      reopened({ at: after({ days: 24 }) }),
    ]);
    expect(state.deadlines).toEqual({
      acknowledgement: { outcome: 'met', at: after({ hours: 1 }) },
      'substantive-response': { outcome: 'met', at: after({ days: 15 }) },
    });
    expect(state.breachedDeadlines).toEqual([
      { kind: 'final-response', dueAt: FINAL_DUE },
      { kind: 'follow-up', dueAt: after({ days: 22 }) },
    ]);
  });

  it('a new resolution after a reopen meets the restarted final response', () => {
    expect(
      caseOf([...resolvedCase(), reopened({ at: after({ days: 1 }) }), resolved('upheld', { at: after({ days: 2 }) })]).deadlines?.[
        'final-response'
      ],
    ).toEqual({ outcome: 'met', at: after({ days: 2 }) });
  });
});
