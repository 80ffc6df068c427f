import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent } from '../../core/decider';
import { SqliteEventStore } from '../../core/event-store/sqlite-event-store';
import { type CheckpointTables, checkpointMigrations } from '../../core/projections/checkpoints';
import { ProjectionRunner } from '../../core/projections/projection-runner';
import { ReadStore, migrateReadStore, openReadStore } from '../../core/read-store/read-store';
import { ledgerProjection, leafHashOf, ledgerSize } from './ledger.projection';
import { LEDGER_TABLES, LedgerTables, ledgerMigrations } from './ledger.tables';
import { canonicalBytes } from './rfc8785';
import { leafHash, treeHead, treeHeadOfLeafHashes } from './rfc9162';

describe('The ledger projection', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readStore: ReadStore<CheckpointTables & LedgerTables>;
  let runner: ProjectionRunner<DomainEvent, CheckpointTables & LedgerTables>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-ledger-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
    readStore = await openReadStore({ dataDir: dir });
    await migrateReadStore(readStore, { ...checkpointMigrations, ...ledgerMigrations });
    // Small batches: the tree grows across many transactions.
    runner = new ProjectionRunner(store, readStore, ledgerProjection, { clock: { now: () => new Date() }, batchSize: 3, idlePollMs: 20 });
  });
  afterEach(async () => {
    await runner.stop();
    await readStore.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await store.appendToStream(`s-${i % 3}`, [
        { id: `00000000-0000-4000-8000-${String(Math.random()).slice(2, 14).padEnd(12, '0')}`, type: 'T', data: { i }, metadata: {} },
      ]);
    }
  };
  const node = async (level: number, index: number) => {
    const row = await readStore.db
      .selectFrom(LEDGER_TABLES.nodes)
      .select('hash')
      .where('level', '=', level)
      .where('node_index', '=', index)
      .executeTakeFirstOrThrow();
    return Buffer.from(row.hash, 'hex');
  };

  it('keeps one leaf per event in log order, and every perfect subtree, across batches', async () => {
    await append(23);
    await runner.start();
    expect(await runner.waitForPosition(await store.headPosition(), 10_000)).toBe(true);
    const events = await store.readAll();
    expect(await ledgerSize(readStore.db)).toBe(23);
    const leaves = events.map((event, index) =>
      leafHashOf({ hash: String(event.metadata['hash']), index, revision: event.revision, stream: event.streamName }),
    );
    for (let n = 1; n <= 23; n++) expect(await treeHead(node, n)).toEqual(treeHeadOfLeafHashes(leaves.slice(0, n)));
  });

  it('stops at an event that does not hash to its recorded hash, having applied those before it', async () => {
    await append(7);
    const altered = (await store.readAll())[4];
    const db = new Database(join(dir, 'events.db'));
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ i: 99 }), altered.position);
    db.close();
    await runner.start();
    expect(await runner.waitForPosition(await store.headPosition(), 5_000)).toBe(false);
    const status = await runner.status();
    expect(status).toMatchObject({
      state: 'failed',
      failure: { position: altered.position, error: expect.stringMatching(/does not hash to its recorded hash/) },
    });
    expect(await ledgerSize(readStore.db)).toBe(4);
  });
});

describe('A leaf hash', () => {
  it('commits to the JCS canonical form of its entry, whatever the stream name holds', () => {
    for (const stream of ['complaint-1', 'ünïcødé-\u00e9', 'quote"back\\slash', 'control\u0001\n\t', 'emoji-😀', 'lone-\ud800'])
      for (const [index, revision] of [
        [0, 0],
        [7, 123],
        [2 ** 40, 2 ** 31],
      ]) {
        const entry = { hash: 'ab'.repeat(32), index, revision, stream };
        expect(leafHashOf(entry)).toEqual(leafHash(canonicalBytes({ ...entry })));
      }
  });
});
