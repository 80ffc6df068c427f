import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, customer, read, readCase, receive } from '../support/case-scenarios';
import { SteppingClock } from '../support/stepping-clock';
import { startTestServer, TestServer } from '../support/test-server';
import { eventsOf, RecordedEventBody, withTestServer } from './e2e-helpers';

/**
 * The deadline clock runs inside the service on a timer (DEADLINE_CHECK_INTERVAL_MS, here the
 * minimum of 100 ms) and reads the injected clock once per tick. Tests move the injected clock and
 * wait for the service to read it again (`clock.readings(n)`) instead of sleeping a guessed time.
 */
const FAST_DEADLINE_CLOCK = { DEADLINE_CHECK_INTERVAL_MS: '100' };
/** Friday 6 March 2026, 10:00 UTC. */
const FRIDAY = '2026-03-06T10:00:00.000Z';
const SYSTEM_ACTOR = { id: 'deadline-clock', role: 'system' };

/** Clock readings a probe may wait for before giving up: ~100 ticks at 100 ms. */
const PATIENCE = 100;

async function breachesOf(server: TestServer, caseId: string): Promise<RecordedEventBody[]> {
  return (await eventsOf(server, caseId)).filter((event) => event.type === 'DeadlineBreached');
}

/** Waits, tick by tick, until the case has `count` DeadlineBreached events; returns them. */
async function untilBreaches(server: TestServer, clock: SteppingClock, caseId: string, count = 1): Promise<RecordedEventBody[]> {
  for (let attempt = 0; attempt < PATIENCE; attempt++) {
    const breaches = await breachesOf(server, caseId);
    if (breaches.length >= count) return breaches;
    await clock.readings(1);
  }
  throw new Error(`Case ${caseId} has no ${count} DeadlineBreached after ${PATIENCE} clock readings`);
}

/** Lets the service read the clock `n` more times: on an idle server, that is `n` deadline-clock ticks. */
const ticks = (clock: SteppingClock, n = 5) => clock.readings(n);

describe('the deadline clock records a passed deadline once', () => {
  const clock = new SteppingClock(FRIDAY);
  const server = withTestServer({ clock, env: FAST_DEADLINE_CLOCK });

  it('breaches an unacknowledged case after 24 h, once, across ticks and restarts; a deadline met in time never', async () => {
    const unanswered = await receive(server, { customerId: 'dl-1', channel: 'email', summary: 'Nobody answers' });
    const answered = await receive(server, { customerId: 'dl-2', channel: 'email', summary: 'Answered at once' });
    const acknowledged = await act(server, answered.caseId, 'acknowledge', { channel: 'email', message: 'On it' });
    const cfpb = await receive(server, { customerId: 'dl-3', channel: 'web', summary: 'No acknowledgement deadline', regime: 'CFPB' });
    const withdrawn = await receive(server, { customerId: 'dl-4', channel: 'web', summary: 'Changed my mind' });
    const withdrawal = await act(server, withdrawn.caseId, 'withdraw', {}, customer);
    const setUp = Math.max(acknowledged.position, cfpb.position, withdrawal.position);
    const before = (await readCase(server, unanswered.caseId, setUp)).body;
    const acknowledgement = before.deadlines.find((d: { kind: string }) => d.kind === 'acknowledgement');
    expect(acknowledgement).toEqual({
      kind: 'acknowledgement',
      dueAt: '2026-03-07T10:00:00.000Z',
      policyVersion: 'default@2026-01',
      status: 'pending',
    });

    // Nothing is due yet, however often the clock ticks.
    await ticks(clock);
    expect(await breachesOf(server, unanswered.caseId)).toEqual([]);

    clock.set('2026-03-07T10:00:01.000Z');
    const [breach] = await untilBreaches(server, clock, unanswered.caseId);
    expect(breach).toMatchObject({
      type: 'DeadlineBreached',
      data: {
        kind: 'acknowledgement',
        dueAt: '2026-03-07T10:00:00.000Z',
        policyVersion: 'default@2026-01',
        by: SYSTEM_ACTOR,
        at: '2026-03-07T10:00:01.000Z',
      },
      metadata: { actor: SYSTEM_ACTOR },
    });

    const view = (await readCase(server, unanswered.caseId, breach.position)).body;
    expect(view.breached).toBe(true);
    expect(view.deadlines.map((d: { kind: string; status: string }) => [d.kind, d.status])).toEqual([
      ['acknowledgement', 'breached'],
      ['final-response', 'pending'],
    ]);
    expect(view.revision).toBe(breach.revision);
    const listed = (await read(server, '/cases?breached=true', breach.position)).body;
    expect(listed.items.map((item: { caseId: string }) => item.caseId)).toEqual([unanswered.caseId]);
    const notBreached = (await read(server, '/cases?breached=false&sort=receivedAt', breach.position)).body;
    expect(notBreached.items.map((item: { caseId: string }) => item.caseId).sort()).toEqual(
      [answered.caseId, cfpb.caseId, withdrawn.caseId].sort(),
    );

    // More ticks, later instants: still one breach.
    await ticks(clock);
    clock.set('2026-03-07T18:00:00.000Z');
    await ticks(clock);
    expect(await breachesOf(server, unanswered.caseId)).toHaveLength(1);

    // A restart on the same data and the same clock: the new service ticks at once, and records nothing new.
    await server.restart();
    await ticks(clock);
    expect(await breachesOf(server, unanswered.caseId)).toHaveLength(1);
    expect((await readCase(server, unanswered.caseId, breach.position)).body).toMatchObject({
      breached: true,
      revision: breach.revision,
    });

    // The late acknowledgement does not undo the breach.
    const late = await act(server, unanswered.caseId, 'acknowledge', { channel: 'email', message: 'Sorry for the wait' });
    await ticks(clock);
    const afterLate = (await readCase(server, unanswered.caseId, late.position)).body;
    expect(afterLate).toMatchObject({ status: 'acknowledged', breached: true, timestamps: { acknowledgedAt: '2026-03-07T18:00:00.000Z' } });
    expect(afterLate.deadlines[0]).toMatchObject({ kind: 'acknowledgement', status: 'breached' });
    expect(await breachesOf(server, unanswered.caseId)).toHaveLength(1);

    // The acknowledgement met in time, the regime without one, and the withdrawn case: never breached.
    for (const { caseId } of [answered, cfpb, withdrawn]) expect(await breachesOf(server, caseId)).toEqual([]);
    const met = (await readCase(server, answered.caseId, late.position)).body;
    expect(met.deadlines[0]).toEqual({
      kind: 'acknowledgement',
      dueAt: '2026-03-07T10:00:00.000Z',
      policyVersion: 'default@2026-01',
      status: 'met',
      answeredAt: FRIDAY,
    });
    expect(met.breached).toBe(false);
    expect((await readCase(server, withdrawn.caseId, late.position)).body.deadlines.map((d: { status: string }) => d.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
  });
});

describe('deadline policies in the case view and on the clock', () => {
  const clock = new SteppingClock(FRIDAY);
  const server = withTestServer({ clock, env: FAST_DEADLINE_CLOCK });

  const dueDates = async (caseId: string, position: number) =>
    (await readCase(server, caseId, position)).body.deadlines.map(({ kind, dueAt, policyVersion }: Record<string, string>) => ({
      kind,
      dueAt,
      policyVersion,
    }));

  it('shows due dates per regime in its own zone; FCA counts business days (received on a Friday → acknowledgement due at the end of Monday)', async () => {
    const fca = await receive(server, { customerId: 'dl-fca', channel: 'letter', summary: 'FCA on a Friday', regime: 'FCA' });
    expect(await dueDates(fca.caseId, fca.position)).toEqual([
      { kind: 'acknowledgement', dueAt: '2026-03-09T23:59:59.999Z', policyVersion: 'FCA@2026-11' },
      // 10:00 GMT + 8 weeks = 10:00 BST.
      { kind: 'final-response', dueAt: '2026-05-01T09:00:00.000Z', policyVersion: 'FCA@2026-11' },
    ]);
    const thursdayNight = await receive(server, {
      customerId: 'dl-fca',
      channel: 'letter',
      summary: 'FCA late on Thursday',
      regime: 'FCA',
      receivedAt: '2026-03-05T23:30:00Z',
    });
    expect((await dueDates(thursdayNight.caseId, thursdayNight.position))[0]).toEqual({
      kind: 'acknowledgement',
      dueAt: '2026-03-06T23:59:59.999Z',
      policyVersion: 'FCA@2026-11',
    });
    const byDefault = await receive(server, { customerId: 'dl-default', channel: 'email', summary: 'Default on a Friday' });
    expect(await dueDates(byDefault.caseId, byDefault.position)).toEqual([
      { kind: 'acknowledgement', dueAt: '2026-03-07T10:00:00.000Z', policyVersion: 'default@2026-01' },
      { kind: 'final-response', dueAt: '2026-03-20T10:00:00.000Z', policyVersion: 'default@2026-01' },
    ]);
    const cfpb = await receive(server, { customerId: 'dl-cfpb', channel: 'web', summary: 'CFPB', regime: 'CFPB' });
    expect(await dueDates(cfpb.caseId, cfpb.position)).toEqual([
      // 05:00 EST in New York + 15 (60) days = 05:00 EDT.
      { kind: 'substantive-response', dueAt: '2026-03-21T09:00:00.000Z', policyVersion: 'CFPB@2026-11' },
      { kind: 'final-response', dueAt: '2026-05-05T09:00:00.000Z', policyVersion: 'CFPB@2026-11' },
    ]);
    const asic = await receive(server, { customerId: 'dl-asic', channel: 'phone', summary: 'ASIC', regime: 'ASIC' });
    expect(await dueDates(asic.caseId, asic.position)).toEqual([
      { kind: 'acknowledgement', dueAt: '2026-03-07T10:00:00.000Z', policyVersion: 'ASIC@2026-11' },
      // 21:00 AEDT in Sydney + 30 days = 21:00 AEST (daylight saving ended that morning).
      { kind: 'final-response', dueAt: '2026-04-05T11:00:00.000Z', policyVersion: 'ASIC@2026-11' },
    ]);

    // The weekend does not count: Monday evening the Friday FCA case is not breached yet, on Tuesday it is.
    clock.set('2026-03-09T23:00:00.000Z');
    await untilBreaches(server, clock, byDefault.caseId);
    await ticks(clock);
    expect(await breachesOf(server, fca.caseId)).toEqual([]);
    clock.set('2026-03-10T00:00:01.000Z');
    const [breach] = await untilBreaches(server, clock, fca.caseId);
    expect(breach.data).toMatchObject({ kind: 'acknowledgement', dueAt: '2026-03-09T23:59:59.999Z', policyVersion: 'FCA@2026-11' });
    const thursday = await breachesOf(server, thursdayNight.caseId);
    expect(thursday.map((event) => event.data['dueAt'])).toEqual(['2026-03-06T23:59:59.999Z']);
  });
});

describe('the deadline clock at the due instant', () => {
  const clock = new SteppingClock(FRIDAY);
  const server = withTestServer({ clock, env: FAST_DEADLINE_CLOCK });

  // An answer at the due instant meets the deadline (case view: answeredAt <= dueAt), so the deadline has not passed
  // at that instant: the clock must not record a breach until after it.
  it('does not breach at the exact due instant, when an answer would still be in time', async () => {
    const opened = await receive(server, { customerId: 'dl-edge', channel: 'email', summary: 'Answered at the last moment' });
    await readCase(server, opened.caseId, opened.position);
    clock.set('2026-03-07T10:00:00.000Z');
    await ticks(clock);
    expect(await breachesOf(server, opened.caseId)).toEqual([]);
    const answered = await act(server, opened.caseId, 'acknowledge', { channel: 'email', message: 'Just in time' });
    const view = (await readCase(server, opened.caseId, answered.position)).body;
    expect(view.deadlines[0]).toMatchObject({ kind: 'acknowledgement', status: 'met', answeredAt: '2026-03-07T10:00:00.000Z' });
    expect(view.breached).toBe(false);
  });
});

describe('a deadline answered late while the deadline clock was not running', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-late-answer-'));
  const clock = new SteppingClock(FRIDAY);
  let server: TestServer;
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // The deadline passed unmet (the answer came an hour after it), so the log must say so with a DeadlineBreached
  // once the clock runs again, as the decider allows ("answered late, before the clock caught up").
  it('is recorded as breached by the clock when it runs again', async () => {
    // A service whose deadline clock ticks only at start (e.g. it was down, or its interval had not come round).
    server = await startTestServer({ dataDir, clock, env: { DEADLINE_CHECK_INTERVAL_MS: '86400000' } });
    const opened = await receive(server, { customerId: 'dl-late', channel: 'email', summary: 'Answered late' });
    await readCase(server, opened.caseId, opened.position);
    clock.set('2026-03-07T11:00:00.000Z');
    const late = await act(server, opened.caseId, 'acknowledge', { channel: 'email', message: 'Sorry for the wait' });
    const view = (await readCase(server, opened.caseId, late.position)).body;
    expect(view.deadlines[0]).toEqual({
      kind: 'acknowledgement',
      dueAt: '2026-03-07T10:00:00.000Z',
      policyVersion: 'default@2026-01',
      status: 'breached',
      answeredAt: '2026-03-07T11:00:00.000Z',
      late: true,
      breachedAt: '2026-03-07T10:00:00.000Z',
    });
    expect(await breachesOf(server, opened.caseId)).toEqual([]);
    await server.close();

    server = await startTestServer({ dataDir, clock, env: FAST_DEADLINE_CLOCK });
    await ticks(clock, 10);
    const breaches = await breachesOf(server, opened.caseId);
    expect(breaches.map((event) => event.data)).toEqual([
      {
        kind: 'acknowledgement',
        dueAt: '2026-03-07T10:00:00.000Z',
        policyVersion: 'default@2026-01',
        by: SYSTEM_ACTOR,
        at: '2026-03-07T11:00:00.000Z',
      },
    ]);
  });
});

describe('a back-dated case read before the deadline clock ran', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-back-dated-'));
  const clock = new SteppingClock(FRIDAY);
  /** A clock that ticks only at start: what a case sees between two ticks of a slow interval. */
  const SLOW_DEADLINE_CLOCK = { DEADLINE_CHECK_INTERVAL_MS: '86400000' };
  let server: TestServer;
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows its passed deadline breached at once, in the view and the list; the clock records it when it starts again', async () => {
    // Its one tick, at start, finds nothing to do: the case is not there yet.
    server = await startTestServer({ dataDir, clock, env: SLOW_DEADLINE_CLOCK });
    // Received on Monday, keyed in on Friday: the acknowledgement was due on Tuesday.
    const backDated = await receive(server, {
      customerId: 'dl-back',
      channel: 'letter',
      summary: 'Letter opened late',
      receivedAt: '2026-03-02T10:00:00Z',
    });
    const view = (await readCase(server, backDated.caseId, backDated.position)).body;
    expect(view.deadlines[0]).toEqual({
      kind: 'acknowledgement',
      dueAt: '2026-03-03T10:00:00.000Z',
      policyVersion: 'default@2026-01',
      status: 'breached',
      breachedAt: '2026-03-03T10:00:00.000Z',
    });
    expect(view.deadlines[1]).toMatchObject({ kind: 'final-response', status: 'pending' });
    expect(view.breached).toBe(true);
    const listed = (await read(server, '/cases?breached=true&customerId=dl-back', backDated.position)).body;
    expect(listed.items.map((item: { caseId: string; breached: boolean }) => [item.caseId, item.breached])).toEqual([
      [backDated.caseId, true],
    ]);
    const notBreached = (await read(server, '/cases?breached=false&customerId=dl-back', backDated.position)).body;
    expect(notBreached.items).toEqual([]);
    expect(await breachesOf(server, backDated.caseId)).toEqual([]);
    await server.close();

    // At start the clock catches up with everything that passed meanwhile, without waiting for its interval.
    server = await startTestServer({ dataDir, clock, env: SLOW_DEADLINE_CLOCK });
    let breaches: RecordedEventBody[] = [];
    for (let attempt = 0; attempt < PATIENCE && breaches.length === 0; attempt++) {
      breaches = await breachesOf(server, backDated.caseId);
      if (breaches.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(breaches.map((event) => event.data)).toEqual([
      { kind: 'acknowledgement', dueAt: '2026-03-03T10:00:00.000Z', policyVersion: 'default@2026-01', by: SYSTEM_ACTOR, at: FRIDAY },
    ]);
  });
});

describe('the deadline clock follows a due instant moved after the case started', () => {
  const clock = new SteppingClock(FRIDAY);
  const server = withTestServer({ clock, env: FAST_DEADLINE_CLOCK });

  it("records the breach of a vulnerable customer's shortened final response at its own due instant, not the regime's", async () => {
    const opened = await receive(server, { customerId: 'dl-v', channel: 'phone', summary: 'Struggling to pay' });
    await act(server, opened.caseId, 'acknowledge', { channel: 'phone', message: 'We have your complaint' });
    const flagged = await act(server, opened.caseId, 'vulnerability', { reason: 'resilience', shortenedFinalResponseDays: 3 });
    const view = (await readCase(server, opened.caseId, flagged.position)).body;
    expect(view.deadlines.find((d: { kind: string }) => d.kind === 'final-response')).toMatchObject({
      dueAt: '2026-03-09T10:00:00.000Z',
      shortenedFrom: '2026-03-20T10:00:00.000Z',
      status: 'pending',
    });

    clock.set('2026-03-09T10:00:01.000Z');
    const [breach] = await untilBreaches(server, clock, opened.caseId);
    expect(breach.data).toMatchObject({ kind: 'final-response', dueAt: '2026-03-09T10:00:00.000Z', policyVersion: 'default@2026-01' });
    const breached = (await readCase(server, opened.caseId, breach.position)).body;
    expect(breached.deadlines.find((d: { kind: string }) => d.kind === 'final-response')).toMatchObject({
      status: 'breached',
      breachRecorded: true,
    });
  });
});
