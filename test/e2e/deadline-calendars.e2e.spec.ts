import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, readCase, receive } from '../support/case-scenarios';
import { SteppingClock } from '../support/stepping-clock';
import { startTestServer, TestServer } from '../support/test-server';
import { eventsOf } from './e2e-helpers';

/** Wednesday 23 December 2026, 12:00 UTC: the service's "now". */
const NOW = '2026-12-23T12:00:00.000Z';

const acknowledgementDue = async (server: TestServer, caseId: string, position: number): Promise<unknown> =>
  (await readCase(server, caseId, position)).body.deadlines.find((deadline: { kind: string }) => deadline.kind === 'acknowledgement');

describe('deadline calendars: public holidays, local days and the firm’s closure days', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-calendars-'));
  const clock = new SteppingClock(NOW);
  let server: TestServer;
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('FCA: Christmas, Boxing Day and London midnight move the acknowledgement; a closure added later moves only new cases', async () => {
    server = await startTestServer({ dataDir, clock });
    // Received on Christmas Eve 2025 (keyed in later): not due on Christmas Day, but at the end of Monday 29 December.
    const christmasEve = await receive(server, {
      customerId: 'cal-1',
      channel: 'letter',
      summary: 'Card blocked on Christmas Eve',
      regime: 'FCA',
      receivedAt: '2025-12-24T10:00:00Z',
    });
    expect(await acknowledgementDue(server, christmasEve.caseId, christmasEve.position)).toMatchObject({
      dueAt: '2025-12-29T23:59:59.999Z',
      policyVersion: 'FCA@2026-11',
    });
    // Sunday 23:30 UTC in British Summer Time is Monday 00:30 in London: due at the end of Tuesday, London time.
    const sundayNight = await receive(server, {
      customerId: 'cal-2',
      channel: 'web',
      summary: 'Sent just after midnight',
      regime: 'FCA',
      receivedAt: '2026-06-14T23:30:00Z',
    });
    expect(await acknowledgementDue(server, sundayNight.caseId, sundayNight.position)).toMatchObject({
      dueAt: '2026-06-16T22:59:59.999Z',
    });
    // Received today (Wednesday 23 December 2026): due at the end of Christmas Eve.
    const beforeClosure = await receive(server, { customerId: 'cal-3', channel: 'email', summary: 'Before the closure', regime: 'FCA' });
    expect(await acknowledgementDue(server, beforeClosure.caseId, beforeClosure.position)).toMatchObject({
      dueAt: '2026-12-24T23:59:59.999Z',
    });
    const [receipt] = await eventsOf(server, beforeClosure.caseId);
    expect(receipt.data['deadlines']).toEqual([
      { kind: 'acknowledgement', dueAt: '2026-12-24T23:59:59.999Z', policyVersion: 'FCA@2026-11' },
      { kind: 'final-response', dueAt: '2027-02-17T12:00:00.000Z', policyVersion: 'FCA@2026-11' },
    ]);
    await server.close();

    // The firm now closes on Christmas Eve.
    server = await startTestServer({ dataDir, clock, env: { FIRM_CLOSURE_DAYS: '2026-12-24, 2026-12-31' } });
    const afterClosure = await receive(server, { customerId: 'cal-4', channel: 'email', summary: 'After the closure', regime: 'FCA' });
    // Christmas Eve closed, Christmas, the weekend, the Boxing Day substitute Monday: the end of Tuesday 29 December.
    expect(await acknowledgementDue(server, afterClosure.caseId, afterClosure.position)).toMatchObject({
      dueAt: '2026-12-29T23:59:59.999Z',
    });
    // The case received before keeps the date it was given.
    expect(await acknowledgementDue(server, beforeClosure.caseId, afterClosure.position)).toMatchObject({
      dueAt: '2026-12-24T23:59:59.999Z',
    });
  });

  it('FCA summary resolution: the case shows its window, that it qualified, and when the summary communication was sent', async () => {
    const opened = await receive(server, { customerId: 'cal-5', channel: 'phone', summary: 'Charged twice', regime: 'FCA' });
    await act(server, opened.caseId, 'assess', {
      category: 'payments',
      severity: 'low',
      justified: 'yes',
      rootCause: 'one-off',
      findings: 'Duplicate card charge',
    });
    const before = (await readCase(server, opened.caseId, opened.position)).body;
    // Received Wednesday 23 December 2026: the closure days (24 and 31 December), Christmas, the Boxing Day substitute,
    // New Year's Day and the weekends do not count: Tuesday 29, Wednesday 30 December, Monday 4 January.
    expect(before.summaryResolution).toEqual({ windowEndsAt: '2027-01-04T23:59:59.999Z', qualifies: false });
    const resolved = await act(server, opened.caseId, 'resolve', {
      resolution: 'Refunded the second charge',
      outcome: 'upheld',
      summaryResolution: true,
    });
    const after = (await readCase(server, opened.caseId, resolved.position)).body;
    expect(after.summaryResolution).toEqual({ windowEndsAt: '2027-01-04T23:59:59.999Z', qualifies: true, communicationSentAt: NOW });
  });

  it('FCA payment services: marked on receipt, the final response is due at the end of the 15th business day', async () => {
    const opened = await receive(server, {
      customerId: 'cal-6',
      channel: 'web',
      summary: 'Transfer never arrived',
      regime: 'FCA',
      paymentServices: true,
      receivedAt: '2026-12-18T10:00:00Z',
    });
    const view = (await readCase(server, opened.caseId, opened.position)).body;
    expect(view.paymentServices).toBe(true);
    // This service also closes on 24 and 31 December: two business days fewer, so Friday 15 January 2027.
    expect(view.deadlines.find((deadline: { kind: string }) => deadline.kind === 'final-response')).toMatchObject({
      dueAt: '2027-01-15T23:59:59.999Z',
      policyVersion: 'FCA@2026-11',
    });
    // A holding reply within the 15 business days extends the final response to the 35th (DISP 1.6.2AR).
    const held = await act(server, opened.caseId, 'holding-response', {
      message: 'Waiting for the receiving bank',
      ombudsmanRightsExplained: true,
    });
    const extended = (await readCase(server, opened.caseId, held.position)).body;
    expect(extended.deadlines.find((deadline: { kind: string }) => deadline.kind === 'final-response')).toMatchObject({
      dueAt: '2027-02-12T23:59:59.999Z',
      extendedFrom: '2027-01-15T23:59:59.999Z',
      status: 'pending',
    });
    const refused = await server.post('/cases', {
      customerId: 'cal-7',
      channel: 'web',
      summary: 'US transfer',
      regime: 'CFPB',
      paymentServices: true,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('payment-services-not-in-regime');
  });

  it('FCA payment services: marked at assessment, the final response moves from 8 weeks to the 15th business day, the old date kept', async () => {
    const opened = await receive(server, {
      customerId: 'cal-9',
      channel: 'web',
      summary: 'Card payment taken twice',
      regime: 'FCA',
      receivedAt: '2026-12-18T10:00:00Z',
    });
    const assessment = { category: 'payments', severity: 'medium', justified: 'yes', rootCause: 'one-off', findings: 'Scheme duplicate' };
    const assessed = await act(server, opened.caseId, 'assess', { ...assessment, paymentServices: true });
    const view = (await readCase(server, opened.caseId, assessed.position)).body;
    expect(view.paymentServices).toBe(true);
    // Counted from receipt, like a complaint marked on receipt (closures on 24 and 31 December): Friday 15 January 2027.
    expect(view.deadlines.find((deadline: { kind: string }) => deadline.kind === 'final-response')).toEqual({
      kind: 'final-response',
      dueAt: '2027-01-15T23:59:59.999Z',
      policyVersion: 'FCA@2026-11',
      status: 'pending',
      rescheduled: [{ dueAt: '2027-02-12T10:00:00.000Z', policyVersion: 'FCA@2026-11', until: NOW, by: 'payment-services' }],
    });
    const events = await eventsOf(server, opened.caseId);
    expect(events.at(-1)?.data).toMatchObject({
      paymentServices: true,
      deadlines: [{ kind: 'final-response', dueAt: '2027-01-15T23:59:59.999Z', policyVersion: 'FCA@2026-11' }],
    });

    const asic = await receive(server, { customerId: 'cal-10', channel: 'web', summary: 'AU transfer', regime: 'ASIC' });
    const refused = await server.post(`/cases/${asic.caseId}/assess`, { ...assessment, paymentServices: true });
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('payment-services-not-in-regime');
    const invalid = await server.post(`/cases/${opened.caseId}/assess`, { ...assessment, paymentServices: 'yes' });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.errors)).toContain('paymentServices');
  });

  it('ASIC: a complaint closed within 5 business days (Sydney) needs no written IDR response, and the case shows it', async () => {
    const opened = await receive(server, { customerId: 'cal-8', channel: 'phone', summary: 'Fee charged in error', regime: 'ASIC' });
    await act(server, opened.caseId, 'assess', {
      category: 'fees',
      severity: 'low',
      justified: 'yes',
      rootCause: 'one-off',
      findings: 'Fee reversed',
    });
    const quick = { resolution: 'Fee refunded', outcome: 'upheld', summaryResolution: true };
    const withoutBasis = await server.post(`/cases/${opened.caseId}/resolve`, quick);
    expect(withoutBasis.status).toBe(409);
    expect(withoutBasis.body.rule).toBe('five-day-route-needs-basis');
    const resolved = await act(server, opened.caseId, 'resolve', { ...quick, fiveDayRouteBasis: 'complete-satisfaction' });
    const view = (await readCase(server, opened.caseId, resolved.position)).body;
    expect(view.resolution).toEqual({ resolution: 'Fee refunded', outcome: 'upheld', at: NOW, fiveDayRouteBasis: 'complete-satisfaction' });
    // Wednesday 23 December 23:00 in Sydney: the closure days, Christmas, the Boxing Day substitute, New Year's Day and the
    // weekends do not count: 29, 30 December, 4, 5, 6 January, end of day AEDT.
    expect(view.summaryResolution).toEqual({ windowEndsAt: '2027-01-06T12:59:59.999Z', qualifies: true, communicationSentAt: NOW });
  });
  it('ASIC IDR delay notice: sent inside the timeframe with the AFCA rights and contact, the IDR response falls due when the firm said', async () => {
    const opened = await receive(server, { customerId: 'cal-11', channel: 'phone', summary: 'Disputed card transactions', regime: 'ASIC' });
    // Received Wednesday 23 December 23:00 in Sydney: the IDR response is due 30 calendar days later, at the same Sydney time.
    const idrDue = '2027-01-22T12:00:00.000Z';
    const notice = {
      reasons: 'We are waiting for the merchant’s records of the disputed transactions.',
      afcaRightsExplained: true,
      afcaContactDetails: 'Australian Financial Complaints Authority: www.afca.org.au, 1800 931 678, GPO Box 3, Melbourne VIC 3001',
      expectedBy: '2027-02-05T17:00:00+11:00',
    };
    const sent = await act(server, opened.caseId, 'idr-delay-notice', notice);
    const view = (await readCase(server, opened.caseId, sent.position)).body;
    expect(view.deadlines.find((deadline: { kind: string }) => deadline.kind === 'final-response')).toEqual({
      kind: 'final-response',
      dueAt: '2027-02-05T06:00:00.000Z',
      policyVersion: 'ASIC@2026-11',
      status: 'pending',
      rescheduled: [{ dueAt: idrDue, policyVersion: 'ASIC@2026-11', until: NOW, by: 'idr-delay-notice' }],
    });
    expect(view.idrDelayNotices).toEqual([
      { reasons: notice.reasons, expectedBy: '2027-02-05T06:00:00.000Z', at: NOW, by: expect.objectContaining({ role: 'agent' }) },
    ]);

    const withoutRights = await server.post(`/cases/${opened.caseId}/idr-delay-notice`, { ...notice, afcaRightsExplained: false });
    expect(withoutRights.status).toBe(409);
    expect(withoutRights.body.rule).toBe('idr-delay-notice-needs-afca-rights');
    const { afcaContactDetails: _omitted, ...withoutContact } = notice;
    const invalid = await server.post(`/cases/${opened.caseId}/idr-delay-notice`, withoutContact);
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.errors)).toContain('afcaContactDetails');
    const fca = await receive(server, { customerId: 'cal-12', channel: 'phone', summary: 'UK complaint', regime: 'FCA' });
    const wrongRegime = await server.post(`/cases/${fca.caseId}/idr-delay-notice`, notice);
    expect(wrongRegime.status).toBe(409);
    expect(wrongRegime.body.rule).toBe('idr-delay-notice-not-in-regime');
  });

  it('ASIC complaint types: a default notice complaint owes its IDR response in 21 days, a superannuation trustee complaint found at assessment in 45', async () => {
    // Received Wednesday 23 December 23:00 in Sydney: calendar days at the same Sydney time of day.
    const finalResponseOf = (view: { deadlines: Array<{ kind: string }> }) =>
      view.deadlines.filter((deadline) => deadline.kind === 'final-response').at(-1);
    const defaultNotice = await receive(server, {
      customerId: 'cal-17',
      channel: 'phone',
      summary: 'Default notice sent in error',
      regime: 'ASIC',
      asicComplaintType: 'default-notice',
    });
    const received = (await readCase(server, defaultNotice.caseId, defaultNotice.position)).body;
    expect(received.asicComplaintType).toBe('default-notice');
    expect(finalResponseOf(received)).toEqual({
      kind: 'final-response',
      dueAt: '2027-01-13T12:00:00.000Z',
      policyVersion: 'ASIC@2026-11',
      status: 'pending',
    });

    const superannuation = await receive(server, { customerId: 'cal-18', channel: 'email', summary: 'Rollover delayed', regime: 'ASIC' });
    const assessment = { category: 'superannuation', severity: 'medium', justified: 'partly', rootCause: 'one-off', findings: 'f' };
    const classified = await act(server, superannuation.caseId, 'assess', { ...assessment, asicComplaintType: 'superannuation-trustee' });
    const view = (await readCase(server, superannuation.caseId, classified.position)).body;
    expect(view.asicComplaintType).toBe('superannuation-trustee');
    expect(finalResponseOf(view)).toEqual({
      kind: 'final-response',
      dueAt: '2027-02-06T12:00:00.000Z',
      policyVersion: 'ASIC@2026-11',
      status: 'pending',
      rescheduled: [{ dueAt: '2027-01-22T12:00:00.000Z', policyVersion: 'ASIC@2026-11', until: NOW, by: 'idr-complaint-type' }],
    });
    const changed = await server.post(`/cases/${superannuation.caseId}/assess`, { ...assessment, asicComplaintType: 'default-notice' });
    expect(changed.status).toBe(409);
    expect(changed.body.rule).toBe('complaint-type-already-set');

    const fca = await server.post('/cases', {
      customerId: 'cal-19',
      channel: 'phone',
      summary: 'UK default notice',
      regime: 'FCA',
      asicComplaintType: 'default-notice',
    });
    expect(fca.status).toBe(409);
    expect(fca.body.rule).toBe('complaint-type-not-in-regime');
    const unknown = await server.post('/cases', {
      customerId: 'cal-20',
      channel: 'phone',
      summary: 'x',
      regime: 'ASIC',
      asicComplaintType: 'insurance',
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('asicComplaintType');
  });

  it('ASIC: a complaint about a declined hardship request cannot be closed within 5 business days without a written IDR response', async () => {
    const opened = await receive(server, { customerId: 'cal-13', channel: 'phone', summary: 'Hardship request declined', regime: 'ASIC' });
    await act(server, opened.caseId, 'assess', {
      category: 'hardship',
      severity: 'high',
      justified: 'yes',
      rootCause: 'one-off',
      findings: 'f',
    });
    const quick = {
      resolution: 'Arrangement agreed',
      outcome: 'upheld',
      summaryResolution: true,
      fiveDayRouteBasis: 'complete-satisfaction',
    };
    const refused = await server.post(`/cases/${opened.caseId}/resolve`, { ...quick, hardshipMatter: 'declined-hardship-request' });
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('idr-response-for-hardship');
    const requested = await server.post(`/cases/${opened.caseId}/resolve`, { ...quick, writtenResponseRequested: true });
    expect(requested.status).toBe(409);
    expect(requested.body.rule).toBe('idr-response-requested');
    const claim = await server.post(`/cases/${opened.caseId}/resolve`, { ...quick, writtenResponseMatter: 'declined-insurance-claim' });
    expect(claim.status).toBe(409);
    expect(claim.body.rule).toBe('idr-response-for-claim-or-trustee-decision');
    const unknown = await server.post(`/cases/${opened.caseId}/resolve`, { ...quick, hardshipMatter: 'bankruptcy' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('hardshipMatter');
    const written = {
      resolution: 'Arrangement agreed',
      outcome: 'upheld',
      hardshipMatter: 'declined-hardship-request',
      writtenResponseRequested: true,
    };
    const resolved = await act(server, opened.caseId, 'resolve', written);
    const view = (await readCase(server, opened.caseId, resolved.position)).body;
    expect(view.resolutions).toEqual([
      {
        resolution: 'Arrangement agreed',
        outcome: 'upheld',
        at: NOW,
        hardshipMatter: 'declined-hardship-request',
        writtenResponseRequested: true,
        current: true,
      },
    ]);
  });
  it("vulnerable customer: a shortened target moves the open final response, shown on the case; clearing the flag gives the regime's back", async () => {
    const opened = await receive(server, { customerId: 'cal-14', channel: 'phone', summary: 'Bereavement, account frozen', regime: 'FCA' });
    const eightWeeks = '2027-02-17T12:00:00.000Z';
    const flagged = await act(server, opened.caseId, 'vulnerability', { reason: 'life-events', shortenedFinalResponseDays: 21 });
    const view = (await readCase(server, opened.caseId, flagged.position)).body;
    expect(view.vulnerability).toMatchObject({ reason: 'life-events', shortenedFinalResponseDays: 21 });
    // 21 calendar days after receipt, at the same London time of day.
    expect(view.deadlines.find((deadline: { kind: string }) => deadline.kind === 'final-response')).toEqual({
      kind: 'final-response',
      dueAt: '2027-01-13T12:00:00.000Z',
      policyVersion: 'FCA@2026-11',
      status: 'pending',
      shortenedFrom: eightWeeks,
      rescheduled: [{ dueAt: eightWeeks, policyVersion: 'FCA@2026-11', until: NOW, by: 'vulnerable-customer' }],
    });
    const [, recorded] = await eventsOf(server, opened.caseId);
    expect(recorded.data['deadlines']).toEqual([
      { kind: 'final-response', dueAt: '2027-01-13T12:00:00.000Z', policyVersion: 'FCA@2026-11' },
    ]);

    const cleared = await act(server, opened.caseId, 'vulnerability/clear', { note: 'Support in place' });
    const after = (await readCase(server, opened.caseId, cleared.position)).body;
    expect(after.deadlines.find((deadline: { kind: string }) => deadline.kind === 'final-response')).toMatchObject({
      dueAt: eightWeeks,
      rescheduled: [
        { dueAt: eightWeeks, policyVersion: 'FCA@2026-11', until: NOW, by: 'vulnerable-customer' },
        { dueAt: '2027-01-13T12:00:00.000Z', policyVersion: 'FCA@2026-11', until: NOW, by: 'vulnerable-customer' },
      ],
    });

    const backDated = await receive(server, {
      customerId: 'cal-15',
      channel: 'letter',
      summary: 'Letter keyed in late',
      regime: 'FCA',
      receivedAt: '2026-11-02T10:00:00Z',
    });
    const passed = await server.post(`/cases/${backDated.caseId}/vulnerability`, { reason: 'health', shortenedFinalResponseDays: 14 });
    expect(passed.status).toBe(409);
    expect(passed.body.rule).toBe('shortened-deadline-already-passed');
  });

  it('vulnerable customer: still flagged when the case is reopened, the new final response keeps the shortened target, counted from the reopen', async () => {
    const opened = await receive(server, { customerId: 'cal-16', channel: 'phone', summary: 'Carer, repeated errors', regime: 'FCA' });
    await act(server, opened.caseId, 'vulnerability', { reason: 'health', shortenedFinalResponseDays: 21 });
    await act(server, opened.caseId, 'assess', {
      category: 'errors',
      severity: 'high',
      justified: 'yes',
      rootCause: 'one-off',
      findings: 'f',
    });
    await act(server, opened.caseId, 'resolve', { resolution: 'Errors corrected', outcome: 'upheld' });
    const reopened = await act(server, opened.caseId, 'reopen', { reason: 'The errors came back' });
    const view = (await readCase(server, opened.caseId, reopened.position)).body;
    // Reopened now: 8 weeks and 21 days from the reopen, at the same London time of day.
    const eightWeeks = '2027-02-17T12:00:00.000Z';
    const finalResponses = view.deadlines.filter((deadline: { kind: string }) => deadline.kind === 'final-response');
    expect(finalResponses.at(-1)).toEqual({
      kind: 'final-response',
      dueAt: '2027-01-13T12:00:00.000Z',
      policyVersion: 'FCA@2026-11',
      status: 'pending',
      shortenedFrom: eightWeeks,
      rescheduled: [{ dueAt: eightWeeks, policyVersion: 'FCA@2026-11', until: NOW, by: 'vulnerable-customer' }],
    });
    expect((await eventsOf(server, opened.caseId)).at(-1)?.data).toMatchObject({
      deadlines: [{ kind: 'final-response', dueAt: eightWeeks, policyVersion: 'FCA@2026-11' }],
      vulnerableCustomerDeadlines: [{ kind: 'final-response', dueAt: '2027-01-13T12:00:00.000Z', policyVersion: 'FCA@2026-11' }],
    });
  });
});
