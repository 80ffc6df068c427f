import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReadStore, type ReadStore } from './read-store';
import { ReportThreadDialect } from './report-thread';

interface Tables {
  spends: { customer_id: string; amount: number };
}

/** A query that keeps SQLite busy for a while: counting to `n` in a recursive CTE. */
const counting = (n: number) =>
  sql<{ total: number }>`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) SELECT count(*) AS total FROM n`;

/** How many turns the event loop made while `work` ran: none while a query holds this thread. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let going = true;
  const turn = () => {
    if (!going) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  await work();
  going = false;
  return turns;
}

describe('Reports on the SQLite read store', () => {
  let dir: string;
  let store: ReadStore<Tables>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-report-thread-'));
    store = await openReadStore<Tables>({ dataDir: dir });
    await store.db.schema.createTable('spends').addColumn('customer_id', 'text').addColumn('amount', 'integer').execute();
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answer what the read store holds, including what its connection committed just before', async () => {
    await store.db
      .insertInto('spends')
      .values([
        { customer_id: 'c-1', amount: 10 },
        { customer_id: 'c-1', amount: 5 },
        { customer_id: 'c-2', amount: 7 },
      ])
      .execute();
    const totals = (db: Kysely<Tables>) =>
      db
        .selectFrom('spends')
        .select(['customer_id', db.fn.sum<number>('amount').as('total')])
        .groupBy('customer_id')
        .orderBy('customer_id')
        .execute();
    expect(await totals(store.reports)).toEqual([
      { customer_id: 'c-1', total: 15 },
      { customer_id: 'c-2', total: 7 },
    ]);
    await store.db.insertInto('spends').values({ customer_id: 'c-3', amount: 1 }).execute();
    expect(await totals(store.reports)).toEqual(await totals(store.db));
  });

  it('run off the event loop, which keeps turning while a long report is read (it stands still on the read store’s own connection)', async () => {
    const n = 2_000_000;
    const onThread = await turnsDuring(async () => expect((await counting(n).execute(store.reports)).rows).toEqual([{ total: n }]));
    const onLoop = await turnsDuring(async () => expect((await counting(n).execute(store.db)).rows).toEqual([{ total: n }]));
    expect(onLoop).toBe(0);
    expect(onThread).toBeGreaterThan(10);
  });

  it('answer queries side by side, each with its own rows', async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5].map((k) => counting(k * 1000).execute(store.reports)));
    expect(answers.map((answer) => answer.rows[0].total)).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  it('say what SQLite says of a wrong query, and refuse writes and transactions', async () => {
    await expect(sql`SELECT * FROM no_such_table`.execute(store.reports)).rejects.toThrow(/no such table: no_such_table/);
    await expect(store.reports.insertInto('spends').values({ customer_id: 'c-9', amount: 1 }).execute()).rejects.toThrow(
      /Reports only read/,
    );
    await expect(store.reports.transaction().execute(async () => undefined)).rejects.toThrow(/without transactions/);
    expect(await store.db.selectFrom('spends').selectAll().execute()).toEqual([]);
  });

  it('are refused once the read store is closed', async () => {
    const reports = store.reports;
    await store.close();
    await expect(counting(10).execute(reports)).rejects.toThrow(/closed/);
    store = await openReadStore<Tables>({ dataDir: dir });
  });
});

describe('Reports where the thread cannot read the file', () => {
  it('are read on the calling thread through the read store’s own connection', async () => {
    const own = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    const reports = new Kysely<unknown>({
      dialect: new ReportThreadDialect({
        filename: join(tmpdir(), 'redress-report-thread-missing', 'read-models.db'),
        busyMs: 100,
        fallback: (query) => own.executeQuery(query),
        failure: (error) => error,
      }),
    });
    try {
      expect((await counting(3).execute(reports)).rows).toEqual([{ total: 3 }]);
      expect((await counting(4).execute(reports)).rows).toEqual([{ total: 4 }]);
    } finally {
      await reports.destroy();
      await own.destroy();
    }
  });
});
