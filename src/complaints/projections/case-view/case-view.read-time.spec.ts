import type { CaseView, DeadlineView } from './case-view';
import { caseViewAt } from './case-view.read-time';

const ACK: DeadlineView = {
  kind: 'acknowledgement',
  dueAt: '2026-03-07T10:00:00.000Z',
  policyVersion: 'default@2026-01',
  status: 'pending',
};
const FINAL: DeadlineView = {
  kind: 'final-response',
  dueAt: '2026-03-20T10:00:00.000Z',
  policyVersion: 'default@2026-01',
  status: 'pending',
};
const view = (deadlines: DeadlineView[], breached = false) => ({ caseId: 'c-1', deadlines, breached }) as unknown as CaseView;

describe('caseViewAt: the case view as of the moment it is read', () => {
  it('given a pending deadline whose due instant has passed, when read, then it is breached at its due instant, not yet recorded', () => {
    const read = caseViewAt(view([ACK, FINAL]), '2026-03-07T10:00:00.001Z');
    expect(read.deadlines).toEqual([{ ...ACK, status: 'breached', breachedAt: ACK.dueAt }, FINAL]);
    expect(read.breached).toBe(true);
  });

  it('given the very due instant, when read, then it is still pending (an answer then is on time)', () => {
    const stored = view([ACK, FINAL]);
    expect(caseViewAt(stored, ACK.dueAt)).toBe(stored);
  });

  it('leaves met, breached and cancelled deadlines as they are', () => {
    const stored = view([
      { ...ACK, status: 'met', answeredAt: '2026-03-06T11:00:00.000Z' },
      { ...FINAL, status: 'cancelled' },
    ]);
    expect(caseViewAt(stored, '2027-01-01T00:00:00.000Z')).toBe(stored);
  });
});
