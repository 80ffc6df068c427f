import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complaintStreamName } from '../../src/complaints/public';
import { act, receive, supervisor } from '../support/case-scenarios';
import { SteppingClock } from '../support/stepping-clock';
import { startTestServer, TestServer } from '../support/test-server';
import { expectFieldErrors, expectProblem } from './e2e-helpers';

/** Friday 6 March 2026, 10:00 UTC: when the letter is keyed in. It arrived on Wednesday. */
const KEYED_IN = '2026-03-06T10:00:00.000Z';
const ARRIVED = '2026-03-04T09:00:00.000Z';

describe('time travel: recording time, the complaint’s own timeline, and a broken stream', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-time-travel-'));
  const clock = new SteppingClock(KEYED_IN);
  let server: TestServer;
  let caseId: string;
  const state = (query: string) => server.get(`/cases/${caseId}/state?${query}`, supervisor);

  beforeAll(async () => {
    server = await startTestServer({ dataDir, clock });
    caseId = (await receive(server, { customerId: 'tt-1', channel: 'letter', summary: 'Letter about fees', receivedAt: ARRIVED })).caseId;
    clock.set('2026-03-06T11:00:00.000Z');
    await act(server, caseId, 'acknowledge', { channel: 'letter', message: 'We received your letter' });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asOf is recording time: before the case was keyed in it did not exist, and the problem says to ask asOfReceived', async () => {
    const response = await state(`asOf=${encodeURIComponent('2026-03-05T12:00:00Z')}`);
    expectFieldErrors(response, ['asOf']);
    expect(JSON.stringify(response.body.errors)).toMatch(/recording time.*asOfReceived/);
  });

  it('asOfReceived follows the complaint’s own timeline: received on Wednesday, not yet acknowledged on Thursday', async () => {
    const thursday = await state(`asOfReceived=${encodeURIComponent('2026-03-05T12:00:00Z')}`);
    expect(thursday.status).toBe(200);
    expect(thursday.body).toMatchObject({
      asOfReceived: '2026-03-05T12:00:00Z',
      lastEvent: { type: 'ComplaintReceived', revision: 0 },
      view: { status: 'received', timestamps: { receivedAt: ARRIVED } },
    });
    const friday = await state(`asOfReceived=${encodeURIComponent('2026-03-06T11:00:00Z')}`);
    expect(friday.body.lastEvent).toMatchObject({ type: 'ComplaintAcknowledged', revision: 1 });
    expectFieldErrors(await state(`asOfReceived=${encodeURIComponent('2026-03-04T08:59:59Z')}`), ['asOfReceived']);
    expectFieldErrors(await state(`asOfReceived=${encodeURIComponent('2026-03-07T00:00:00Z')}`), ['asOfReceived']);
    const both = await state(`asOf=${encodeURIComponent(KEYED_IN)}&asOfReceived=${encodeURIComponent(KEYED_IN)}`);
    expectProblem(both, 400);
  });

  it('answers a problem naming the stream, never a 500, when revision 0 is missing', async () => {
    await server.close();
    const db = new Database(join(dataDir, 'events.db'));
    try {
      db.prepare('DELETE FROM events WHERE stream_name = ? AND stream_revision = 0').run(complaintStreamName(caseId));
    } finally {
      db.close();
    }
    server = await startTestServer({ dataDir, clock });
    for (const query of ['atRevision=1', `asOf=${encodeURIComponent('2026-03-06T11:00:00Z')}`]) {
      const response = await state(query);
      expectProblem(response, 503);
      expect(response.body).toMatchObject({ stream: complaintStreamName(caseId), revision: 0 });
      expect(response.body.detail).toMatch(/revision 0 is missing/);
    }
  });
});
