import { type Kysely, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent } from '../decider';
import type { RecordedEvent } from '../event-store/event-store.port';
import { openReadStore, type ReadStore } from '../read-store/read-store';
import { type HeldChanges, TouchOrder, heldDocuments } from './held-documents';
import { type AnyTables, writeRowChanges } from './row-changes';

type Counter = { count: number };
type Row = { id: string; document: string; count: number };

const event = (position: number): RecordedEvent => ({ position }) as RecordedEvent;

describe('held documents', () => {
  let dir: string;
  let readStore: ReadStore<AnyTables>;
  let db: Kysely<AnyTables>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-held-'));
    readStore = await openReadStore<AnyTables>({ dataDir: dir });
    db = readStore.db;
    await sql`CREATE TABLE counters (id TEXT PRIMARY KEY, document TEXT NOT NULL, count INTEGER NOT NULL)`.execute(db);
  });

  afterEach(async () => {
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Documents counting the events met, written with their count as a column; every write recorded. */
  function counters(limit: number) {
    const writes: Array<HeldChanges<Counter, Row, DomainEvent>> = [];
    const held = heldDocuments<Counter, DomainEvent, 'id', Row>(
      { db, table: 'counters', keyColumn: 'id' },
      (doc) => ({ count: (doc?.count ?? 0) + 1 }),
      async (changes) => {
        writes.push(changes);
        const rows = [...changes.documents].flatMap(([id, doc]) => (doc ? [{ id, document: JSON.stringify(doc), count: doc.count }] : []));
        await writeRowChanges(db, 'counters', ['id'], changes.stored, rows);
      },
      limit,
    );
    const page = (...keys: string[]) => held.evolve(keys.map((key, n) => ({ key, event: event(n) })));
    return { held, page, writes };
  }

  const stored = async () =>
    Object.fromEntries((await db.selectFrom('counters').selectAll().orderBy('id').execute()).map((row) => [row.id, row.count]));

  it('past its limit, writes and lets go the documents touched least recently at the end of a batch', async () => {
    const { page, writes } = counters(2);

    await page('a', 'b', 'a');
    await page('c');

    // b was touched before a's second event: it goes, a and c stay held.
    expect(writes.map((write) => [...write.documents.keys()])).toEqual([['b']]);
    expect(await stored()).toEqual({ b: 1 });
  });

  it('reads a document it let go back as written when an event meets it again, its stored row without the text', async () => {
    const { held, page, writes } = counters(1);

    await page('a', 'a');
    await page('b');
    await page('a');
    await held.flush();

    expect(await stored()).toEqual({ a: 3, b: 1 });
    // The last write had a's row as the first one left it (count 2), without the document's text it was parsed from.
    expect(writes[writes.length - 1].stored).toEqual([{ id: 'a', document: null, count: 2 }]);
  });

  it('holds everything up to its limit, written once at flush', async () => {
    const { held, page, writes } = counters(3);

    await page('a', 'b');
    await page('c', 'a');
    await held.flush();

    expect(writes).toHaveLength(1);
    expect(await stored()).toEqual({ a: 2, b: 1, c: 1 });
  });
});

describe('touch order', () => {
  it('gives the keys beyond a limit least recently touched first, and forgets them', () => {
    const order = new TouchOrder();
    for (const key of ['a', 'b', 'c', 'a', 'd']) order.touch(key);

    expect(order.beyond(2)).toEqual(['b', 'c']);
    expect(order.beyond(2)).toEqual([]);
    order.touch('e');
    expect(order.beyond(2)).toEqual(['a']);
  });
});
