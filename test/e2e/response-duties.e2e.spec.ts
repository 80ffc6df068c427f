import { act, agent, customer, read, readCase, receive, supervisor } from '../support/case-scenarios';
import { SteppingClock } from '../support/stepping-clock';
import { eventsOf, expectProblem, withTestServer } from './e2e-helpers';

/**
 * No regime lets a firm drop its response duty by closing the case: the final response stays owed until it is given or a
 * supervisor records a documented regulatory exception; a withdrawn complaint is closed as withdrawn and never reopened.
 */
const FAST_DEADLINE_CLOCK = { DEADLINE_CHECK_INTERVAL_MS: '100' };
/** Monday 2 March 2026, 10:00 UTC. */
const MONDAY = '2026-03-02T10:00:00.000Z';
const FINAL_DUE = '2026-03-16T10:00:00.000Z'; // 14 days under the house policy

type Deadline = { kind: string; status: string; dueAt: string; exception?: unknown };
const finalResponse = (view: { deadlines: Deadline[] }) => view.deadlines.find((deadline) => deadline.kind === 'final-response');

describe('response duties that closing a case does not drop', () => {
  const clock = new SteppingClock(MONDAY);
  const server = withTestServer({ clock, env: FAST_DEADLINE_CLOCK });

  it('a case closed because the customer went quiet still owes its final response: it breaches, and the report counts it late', async () => {
    const opened = await receive(server, { customerId: 'duty-1', channel: 'email', summary: 'Refund never arrived' });
    await act(server, opened.caseId, 'acknowledge', { channel: 'email', message: 'We are on it' });
    const closed = await act(server, opened.caseId, 'close', { reason: 'customer-unresponsive', note: 'Three calls unanswered' });
    const view = (await readCase(server, opened.caseId, closed.position)).body;
    expect(view.status).toBe('closed');
    expect(finalResponse(view)).toMatchObject({ status: 'pending', dueAt: FINAL_DUE });

    clock.set('2026-03-16T10:00:01.000Z');
    let breaches: unknown[] = [];
    for (let attempt = 0; attempt < 100 && breaches.length === 0; attempt++) {
      await clock.readings(1);
      breaches = (await eventsOf(server, opened.caseId)).filter((event) => event.type === 'DeadlineBreached');
    }
    expect(breaches).toEqual([expect.objectContaining({ data: expect.objectContaining({ kind: 'final-response', dueAt: FINAL_DUE }) })]);
    const report = (await read(server, '/analytics/deadlines', closed.position)).body;
    expect(report.total.finalResponse).toMatchObject({ due: 1, late: 1, excepted: 0 });
  });

  it('only a supervisor ends the duty, with a documented ground and reason, before it falls due', async () => {
    clock.set('2026-04-01T10:00:00.000Z');
    const duplicate = await receive(server, { customerId: 'duty-2', channel: 'letter', summary: 'Same complaint, by letter' });
    await act(server, duplicate.caseId, 'close', { reason: 'duplicate', note: 'Also sent by email' });
    const exception = {
      kind: 'final-response',
      ground: 'duplicate',
      reason: 'The email of 1 April is the same complaint',
      reference: 'case-by-email',
    };

    const byAgent = await server.post(`/cases/${duplicate.caseId}/deadline-exception`, exception, agent);
    expectProblem(byAgent, 403);
    const withoutReference = await server.post(
      `/cases/${duplicate.caseId}/deadline-exception`,
      { ...exception, reference: undefined },
      supervisor,
    );
    expectProblem(withoutReference, 409);
    expect(withoutReference.body.rule).toBe('deadline-exception-needs-reference');

    const recorded = await server.post(`/cases/${duplicate.caseId}/deadline-exception`, exception, supervisor);
    expect(recorded.status).toBe(200);
    const view = (await readCase(server, duplicate.caseId, recorded.body.position)).body;
    expect(finalResponse(view)).toMatchObject({
      status: 'excepted',
      exception: { ground: 'duplicate', reason: 'The email of 1 April is the same complaint', reference: 'case-by-email' },
    });
    const report = (await read(server, '/analytics/deadlines', recorded.body.position)).body;
    expect(report.total.finalResponse).toMatchObject({ excepted: 1 });
  });

  it('a withdrawn complaint closes only as withdrawn, is never reopened, and a new complaint links to it', async () => {
    const withdrawn = await receive(server, { customerId: 'duty-3', channel: 'phone', summary: 'Changed my mind' });
    await act(server, withdrawn.caseId, 'withdraw', { reason: 'Sorted it out myself' }, customer);

    const asDuplicate = await server.post(`/cases/${withdrawn.caseId}/close`, { reason: 'duplicate' });
    expectProblem(asDuplicate, 409);
    expect(asDuplicate.body.rule).toBe('withdrawn-closes-as-withdrawn');
    await act(server, withdrawn.caseId, 'close', {});

    const reopen = await server.post(`/cases/${withdrawn.caseId}/reopen`, { reason: 'Customer called back' }, supervisor);
    expectProblem(reopen, 409);
    expect(reopen.body.rule).toBe('withdrawn-not-reopenable');

    const again = await receive(server, {
      customerId: 'duty-3',
      channel: 'phone',
      summary: 'It was not sorted after all',
      relatedCaseId: withdrawn.caseId,
    });
    const view = (await readCase(server, again.caseId, again.position)).body;
    expect(view.relatedCaseId).toBe(withdrawn.caseId);
    expect(view.status).toBe('received');
  });
});
