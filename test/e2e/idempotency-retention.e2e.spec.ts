import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import { SteppingClock } from '../support/stepping-clock';
import { startTestServer } from '../support/test-server';
import { agent, eventsOf, expectProblem, openCase, validComplaint, withTestServer } from './e2e-helpers';

/**
 * An Idempotency-Key is bound to its first request for IDEMPOTENCY_RETENTION_HOURS; after that it is
 * free for a new request, whose events get ids of their own (a new generation of the key), never the
 * first request's. Kept across restarts, on either read store.
 */
function retentionSuite(readStoreEnv: () => Record<string, string>) {
  const clock = new SteppingClock(new Date().toISOString());
  const server = withTestServer(() => ({ clock, env: { IDEMPOTENCY_RETENTION_HOURS: '1', ...readStoreEnv() } }));

  const key = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

  it('binds a key for the retention, across a restart; then a new request with it opens a new case with new event ids', async () => {
    const idempotencyKey = key('retained');
    const headers = { ...agent, 'Idempotency-Key': idempotencyKey };
    const first = await server.post('/cases', validComplaint, headers);
    expect(first.status).toBe(201);

    clock.advance({ minutes: 59 });
    await server.restart();
    const replay = await server.post('/cases', validComplaint, headers);
    expect(replay).toMatchObject({ status: 201, body: first.body });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expectProblem(await server.post('/cases', { ...validComplaint, summary: 'Something else' }, headers), 422);

    clock.advance({ minutes: 2 });
    const reused = await server.post('/cases', { ...validComplaint, summary: 'Something else' }, headers);
    expect(reused.status).toBe(201);
    expect(reused.headers.get('idempotent-replayed')).toBeNull();
    expect(reused.body.caseId).not.toBe(first.body.caseId);

    const [original] = await eventsOf(server, first.body.caseId);
    const [later] = await eventsOf(server, reused.body.caseId);
    expect(later.id).not.toBe(original.id);
    expect(original.metadata.commandId).toBe(idempotencyKey);
    expect(later.metadata.commandId).toBe(`${idempotencyKey}~1`);

    // The new binding holds in its turn: its retry replays, the first request is now "another request".
    expect(await server.post('/cases', { ...validComplaint, summary: 'Something else' }, headers)).toMatchObject({
      status: 201,
      body: reused.body,
    });
    expectProblem(await server.post('/cases', validComplaint, headers), 422);
  });

  it('a case command whose key expired runs again as a new command', async () => {
    const { caseId } = await openCase(server);
    const headers = { ...agent, 'Idempotency-Key': key('contact') };
    const body = { direction: 'inbound', channel: 'phone', summary: 'Called about the parcel' };
    const first = await server.post(`/cases/${caseId}/log-contact`, body, headers);
    expect(first).toMatchObject({ status: 200, body: { revision: 1 } });
    expect((await server.post(`/cases/${caseId}/log-contact`, body, headers)).body).toEqual(first.body);

    clock.advance({ hours: 2 });
    const again = await server.post(`/cases/${caseId}/log-contact`, body, headers);
    expect(again).toMatchObject({ status: 200, body: { revision: 2 } });
    expect((await eventsOf(server, caseId)).map((event) => event.type)).toEqual([
      'ComplaintReceived',
      'CustomerContactLogged',
      'CustomerContactLogged',
    ]);
  });
}

describe('Idempotency-Key retention (SQLite read store)', () => {
  retentionSuite(() => ({}));

  it('should the key bindings be lost, the log itself still refuses another request under a used key', async () => {
    const server = await startTestServer();
    try {
      const headers = { ...agent, 'Idempotency-Key': 'lost-binding' };
      const first = await server.post('/cases', validComplaint, headers);
      expect(first.status).toBe(201);
      const readStore = new Database(join(server.dataDir, 'read-models.db'));
      readStore.prepare('DELETE FROM idempotency_keys').run();
      readStore.close();
      expectProblem(await server.post('/cases', { ...validComplaint, summary: 'Something else' }, headers), 422);
      expect(await server.post('/cases', validComplaint, headers)).toMatchObject({ status: 201, body: first.body });
    } finally {
      await server.close();
    }
  });
});

describeWithPostgres('Idempotency-Key retention (PostgreSQL read store)', () => {
  const schema = useTemporarySchemas();
  const chosen = schema();
  retentionSuite(() => ({ READ_STORE_URL: postgresUrl(), READ_STORE_SCHEMA: chosen }));
});
