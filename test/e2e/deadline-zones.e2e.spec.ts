import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { read, receive } from '../support/case-scenarios';
import { SteppingClock } from '../support/stepping-clock';
import { startTestServer, TestServer } from '../support/test-server';

/** Wednesday 1 July 2026, 05:30 UTC: 01:30 on 1 July in New York, still 22:30 on 30 June in Los Angeles. */
const NOW = '2026-07-01T05:30:00.000Z';

describe("the desk's due-today queue counts a regime's day in the zone the firm configured for its deadlines", () => {
  const servers: TestServer[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A CFPB complaint whose substantive response falls due at 20:00 on 30 June in Los Angeles (23:00 in New York). */
  async function serverWithCfpbCase(env: Record<string, string>) {
    const dataDir = mkdtempSync(join(tmpdir(), 'redress-zones-'));
    dirs.push(dataDir);
    const server = await startTestServer({ dataDir, clock: new SteppingClock(NOW), env });
    servers.push(server);
    const opened = await receive(server, {
      customerId: 'zone-1',
      channel: 'web',
      summary: 'Card dispute',
      regime: 'CFPB',
      receivedAt: '2026-06-16T03:00:00Z',
    });
    return { server, opened };
  }

  it('given CFPB deadlines counted in Los Angeles, then a response due at 20:00 there on 30 June is due today at 22:30 on 30 June', async () => {
    const { server, opened } = await serverWithCfpbCase({ DEADLINE_US_TIME_ZONE: 'America/Los_Angeles' });
    const view = (await read(server, `/cases/${opened.caseId}`, opened.position)).body;
    expect(view.deadlines.find((deadline: { kind: string }) => deadline.kind === 'substantive-response')).toMatchObject({
      dueAt: '2026-07-01T03:00:00.000Z',
    });
    const listed = await read(server, '/cases?dueToday=true', opened.position);
    expect(listed.body.items.map((item: { caseId: string }) => item.caseId)).toEqual([opened.caseId]);
    expect((await read(server, '/queues/summary', opened.position)).body.counts).toMatchObject({ dueToday: 1 });
  });

  it('given the default New York zone, then the same instant was yesterday there: not due today', async () => {
    const { server, opened } = await serverWithCfpbCase({});
    const view = (await read(server, `/cases/${opened.caseId}`, opened.position)).body;
    // Counted in New York, the response is due at 23:00 on 30 June there.
    expect(view.deadlines.find((deadline: { kind: string }) => deadline.kind === 'substantive-response')).toMatchObject({
      dueAt: '2026-07-01T03:00:00.000Z',
    });
    expect((await read(server, '/cases?dueToday=true', opened.position)).body.items).toEqual([]);
    expect((await read(server, '/queues/summary', opened.position)).body.counts).toMatchObject({ dueToday: 0 });
  });
});
