import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, chainedMetadata } from '../../src/core/event-store/hash-chain';
import { contact, openCase, succeed } from '../e2e/e2e-helpers';
import { runCli } from '../support/run-cli';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * An operator with full access to the database tampers with the SQLite event log while the service is
 * stopped; a witness holding a checkpoint from before must catch it and say what it found. Each attack is
 * tried twice: leaving the ledger as it was (the witness's spot-checks find the event), and rebuilding the
 * ledger and its checkpoints from the tampered log, as a careful attacker would (consistency fails).
 */

interface Row {
  position: number;
  event_id: string;
  stream_name: string;
  stream_revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

const LEDGER_ENV = { LEDGER_CHECKPOINT_EVERY: '1', LEDGER_CHECKPOINT_SECONDS: '1' };

async function waitForCheckpoint(server: TestServer, size: number, required = true): Promise<void> {
  for (let attempt = 0; attempt < (required ? 150 : 40); attempt++) {
    const response = await server.request('GET', '/audit/checkpoints/latest', { anonymous: true });
    if (response.status === 200 && response.body.treeSize >= size) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (required) throw new Error(`no checkpoint of ${size} leaves`);
}

/** Rewrites a stream's chain from `fromRevision` on, as an attacker who knows the recipe would. */
function rehash(db: Database.Database, stream: string): void {
  const rows = db.prepare<[string], Row>('SELECT * FROM events WHERE stream_name = ? ORDER BY stream_revision').all(stream);
  let prevHash = GENESIS_HASH;
  for (const row of rows) {
    const { hash: _hash, prevHash: _prev, ...own } = JSON.parse(row.metadata) as Record<string, unknown>;
    const metadata = chainedMetadata(
      { streamName: stream, revision: row.stream_revision, type: row.type, data: JSON.parse(row.data), metadata: own },
      prevHash,
    );
    prevHash = metadata['hash'] as string;
    db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify(metadata), row.position);
  }
}

describe('Tampering with the event log is caught by a witness', () => {
  let original: string;
  let witnessState: string;
  let streams: { a: string; b: string };
  const scratch: string[] = [];

  beforeAll(async () => {
    original = mkdtempSync(join(tmpdir(), 'redress-tamper-orig-'));
    scratch.push(original);
    const server = await startTestServer({ dataDir: original, env: LEDGER_ENV, eventStore: 'sqlite' });
    const a = await openCase(server, { customerId: 'cust-a', channel: 'email', summary: 'Late parcel' });
    await succeed(server, a.caseId, 'log-contact', contact('first call'));
    await succeed(server, a.caseId, 'log-contact', contact('second call'));
    const b = await openCase(server, { customerId: 'cust-b', channel: 'email', summary: 'Wrong item' });
    await succeed(server, b.caseId, 'log-contact', contact('called'));
    streams = { a: `complaint-${a.caseId}`, b: `complaint-${b.caseId}` };
    await waitForCheckpoint(server, 5);
    witnessState = join(mkdtempSync(join(tmpdir(), 'redress-witness-')), 'state.json');
    scratch.push(witnessState);
    const token = await server.token({ sub: 'witness', role: 'auditor' });
    const run = await runCli(['audit', 'witness', '--url', server.url, '--state', witnessState], { REDRESS_TOKEN: token });
    expect(run.code).toBe(0);
    await server.close();
  }, 120_000);

  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  /** Copies the stopped service's data, tampers with events.db, optionally drops the ledger, restarts and runs the witness. */
  async function attack(tamper: (db: Database.Database) => void, rebuildLedger: boolean) {
    const dataDir = mkdtempSync(join(tmpdir(), 'redress-tamper-'));
    scratch.push(dataDir);
    cpSync(original, dataDir, { recursive: true });
    const state = join(dataDir, 'witness.json');
    cpSync(witnessState, state);
    const db = new Database(join(dataDir, 'events.db'));
    tamper(db);
    db.close();
    if (rebuildLedger)
      for (const file of ['read-models.db', 'read-models.db-wal', 'read-models.db-shm']) rmSync(join(dataDir, file), { force: true });
    const server = await startTestServer({ dataDir, env: LEDGER_ENV, eventStore: 'sqlite' });
    try {
      // A rebuilt ledger stops at an event that does not hash to its recorded hash (as at a poison event): then it stays short.
      await waitForCheckpoint(server, await server.countEventsAfter(0), false);
      const token = await server.token({ sub: 'witness', role: 'auditor' });
      return await runCli(['audit', 'witness', '--url', server.url, '--state', state, '--spot-check', '1000'], { REDRESS_TOKEN: token });
    } finally {
      await server.close();
    }
  }

  const lastOf = (db: Database.Database, stream: string) =>
    db.prepare<[string], Row>('SELECT * FROM events WHERE stream_name = ? ORDER BY stream_revision DESC LIMIT 1').get(stream)!;

  const attacks: Array<[string, (db: Database.Database) => void, RegExp, RegExp]> = [
    [
      'truncating the last event of a stream',
      (db) => {
        db.prepare('DELETE FROM events WHERE position = ?').run(lastOf(db, streams.a).position);
      },
      /complaint-.*@2 \(leaf \d+\): the history of .* has no revision 2 \(events were removed: truncated stream\)/,
      /the ledger shrank from 5 to 4 leaves/,
    ],
    [
      'truncating, then appending another event in its place',
      (db) => {
        const last = lastOf(db, streams.a);
        db.prepare('DELETE FROM events WHERE position = ?').run(last.position);
        const prev = lastOf(db, streams.a);
        const data = { ...JSON.parse(last.data), summary: 'a call that never happened' };
        const { hash: _h, prevHash: _p, ...own } = JSON.parse(last.metadata) as Record<string, unknown>;
        const metadata = chainedMetadata(
          { streamName: streams.a, revision: 2, type: last.type, data, metadata: own },
          JSON.parse(prev.metadata).hash,
        );
        db.prepare(
          'INSERT INTO events (event_id, stream_name, stream_revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(
          '00000000-0000-4000-8000-000000000001',
          streams.a,
          2,
          last.type,
          JSON.stringify(data),
          JSON.stringify(metadata),
          last.recorded_at,
        );
      },
      /complaint-.*@2 \(leaf \d+\): the history serves an event with hash .* \(event replaced or rehashed\)/,
      /does not extend the witnessed tree of 5 leaves|now has another root/,
    ],
    [
      'editing one event and rehashing its stream',
      (db) => {
        const first = db.prepare<[string], Row>('SELECT * FROM events WHERE stream_name = ? AND stream_revision = 1').get(streams.a)!;
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
          JSON.stringify({ ...JSON.parse(first.data), direction: 'outbound' }),
          first.position,
        );
        rehash(db, streams.a);
      },
      /complaint-.*@1 \(leaf \d+\): the history serves an event with hash .* \(event replaced or rehashed\)/,
      /now has another root|does not extend/,
    ],
    [
      'editing every event of a stream and rehashing it',
      (db) => {
        for (const row of db.prepare<[string], Row>('SELECT * FROM events WHERE stream_name = ?').all(streams.b)) {
          db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
            JSON.stringify({ ...JSON.parse(row.data), channel: 'letter' }),
            row.position,
          );
        }
        rehash(db, streams.b);
      },
      /complaint-.*@0 \(leaf \d+\): the history serves an event with hash .* \(event replaced or rehashed\)/,
      /now has another root|does not extend/,
    ],
    [
      'editing an event without rehashing',
      (db) => {
        const row = db.prepare<[string], Row>('SELECT * FROM events WHERE stream_name = ? AND stream_revision = 1').get(streams.a)!;
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
          JSON.stringify({ ...JSON.parse(row.data), direction: 'outbound' }),
          row.position,
        );
      },
      /complaint-.*@1 \(leaf \d+\): the stored event does not hash to its recorded hash \(event edited\)/,
      /the ledger shrank from 5 to \d leaves/,
    ],
    [
      'deleting a whole stream',
      (db) => {
        db.prepare('DELETE FROM events WHERE stream_name = ?').run(streams.b);
      },
      /the stream complaint-.* no longer exists \(deleted stream\)/,
      /the ledger shrank from 5 to 3 leaves/,
    ],
    [
      'changing a recording time',
      (db) => {
        db.prepare("UPDATE events SET recorded_at = '2020-02-02T00:00:00.000Z' WHERE stream_name = ? AND stream_revision = 1").run(
          streams.a,
        );
      },
      /complaint-.*@1 \(leaf \d+\): its recording time was changed \(served 2020-02-02T00:00:00.000Z/,
      /the ledger shrank from 5 to 1 leaves|recording time was changed/,
    ],
    [
      "swapping two streams' events",
      (db) => {
        db.prepare('UPDATE events SET stream_name = CASE stream_name WHEN ? THEN ? ELSE ? END WHERE stream_name IN (?, ?)').run(
          streams.a,
          'swap-tmp',
          streams.a,
          streams.a,
          streams.b,
        );
        db.prepare('UPDATE events SET stream_name = ? WHERE stream_name = ?').run(streams.b, 'swap-tmp');
      },
      /\(event replaced or rehashed\)|no revision|\(event edited\)/,
      /the service has no signed checkpoint, yet this witness holds one of 5 leaves|now has another root|does not extend/,
    ],
  ];

  it('refuses commands on a stream whose last event was altered (503 broken-chain), appends nothing and shows it in /health', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'redress-tamper-'));
    scratch.push(dataDir);
    cpSync(original, dataDir, { recursive: true });
    const db = new Database(join(dataDir, 'events.db'));
    const last = lastOf(db, streams.a);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      JSON.stringify({ ...JSON.parse(last.data), direction: 'outbound' }),
      last.position,
    );
    db.close();
    const server = await startTestServer({ dataDir, env: LEDGER_ENV, eventStore: 'sqlite' });
    try {
      const before = await server.countEventsAfter(0);
      const refused = await server.post(`/cases/${streams.a.slice('complaint-'.length)}/log-contact`, contact('another call'));
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ type: 'http://localhost:3000/problems/broken-chain', stream: streams.a, revision: 2 });
      expect(await server.countEventsAfter(0)).toBe(before);
      const health = await server.request('GET', '/health', { anonymous: true });
      expect(health.body).toMatchObject({
        status: 'degraded',
        brokenChains: [expect.objectContaining({ stream: streams.a, revision: 2 })],
      });
    } finally {
      await server.close();
    }
  }, 180_000);

  it('`redress verify` over every stream names a deleted stream from the ledger, and a truncated one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'redress-tamper-'));
    scratch.push(dataDir);
    cpSync(original, dataDir, { recursive: true });
    const db = new Database(join(dataDir, 'events.db'));
    db.prepare('DELETE FROM events WHERE stream_name = ?').run(streams.b);
    db.prepare('DELETE FROM events WHERE position = ?').run(lastOf(db, streams.a).position);
    db.close();
    const run = await runCli(['verify'], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${streams.b}: DELETED: the ledger recorded 2 event(s) of it, up to revision 1`);
    expect(run.stdout).toMatch(
      new RegExp(`${streams.a}: TRUNCATED: the ledger recorded revision 2 .*, the log ends at revision 1, head [0-9a-f]{64}`),
    );
  }, 60_000);

  describe.each(attacks)('%s', (_name, tamper, withLedgerKept, withLedgerRebuilt) => {
    it('is named by the spot-checks when the ledger was left alone', async () => {
      const run = await attack(tamper, false);
      expect(run.stderr).toMatch(withLedgerKept);
      expect(run.code).toBe(1);
    }, 180_000);

    it('breaks consistency when the ledger and its checkpoints were rebuilt from the tampered log', async () => {
      const run = await attack(tamper, true);
      expect(run.stderr).toMatch(withLedgerRebuilt);
      expect(run.code).toBe(1);
    }, 180_000);
  });
});
