import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '../../src/core/event-store/hash-chain';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { eventStoreContract } from './event-store.contract';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A log file of its own, in a directory removed after the suite. */
function eventsFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'redress-es-'));
  dirs.push(dir);
  return join(dir, 'events.db');
}

eventStoreContract('SqliteEventStore', async () => new SqliteEventStore(eventsFile()));

describe('SqliteEventStore durability settings', () => {
  it('uses WAL with synchronous=FULL so an acknowledged append is on disk', async () => {
    const store = new SqliteEventStore(eventsFile());
    const pragmas = (store as unknown as { db: { pragma(q: string, o: object): unknown } }).db;
    expect(pragmas.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(pragmas.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
  });

  it('keeps appended events across reopening the file', async () => {
    const file = eventsFile();
    const first = new SqliteEventStore(file);
    await first.appendToStream('complaint-1', [{ id: '6a1f6a3e-0000-4000-8000-000000000001', type: 'A', data: { a: 1 }, metadata: {} }]);
    await first.close();
    const second = new SqliteEventStore(file);
    expect((await second.readStream('complaint-1')).map((e) => e.data)).toEqual([{ a: 1 }]);
    await second.close();
  });
});

describe('SqliteEventStore known heads', () => {
  it('knows the head of a stream it appended to until another connection commits to the file, and then reads again', async () => {
    const file = eventsFile();
    const store = new SqliteEventStore(file);
    const append = (stream: string) => store.appendToStream(stream, [{ id: randomUUID(), type: 'A', data: {}, metadata: {} }]);
    expect(store.knownHead('complaint-1')).toBeUndefined();
    const { recorded } = await append('complaint-1');
    expect(store.knownHead('complaint-1')).toEqual({ revision: 0, hash: recorded![0].metadata['hash'] });
    expect(store.knownHead('complaint-2')).toBeUndefined();

    const other = new Database(file);
    other.prepare("UPDATE events SET data = '{\"forged\":true}' WHERE stream_name = 'complaint-1'").run();
    other.close();
    expect(store.knownHead('complaint-1')).toBeUndefined();
    await append('complaint-1');
    expect(store.knownHead('complaint-1')).toMatchObject({ revision: 1 });
    await store.close();
  });
});

describe('SqliteEventStore own appends (what the live projections take instead of reading the log back)', () => {
  const event = (n: number) => ({ id: randomUUID(), type: 'A', data: { n, nested: { b: 1, a: [n] } }, metadata: { actor: 'agent-1' } });

  it('serves the events after a position as a read of the log gives them, up to the head, while it alone has written', async () => {
    const store = new SqliteEventStore(eventsFile());
    expect(store.appendedAfter(0, 10)).toBeUndefined();
    await Promise.all(Array.from({ length: 12 }, (_, n) => store.appendToStream(`complaint-${n % 3}`, [event(n), event(n + 100)])));
    const read = await store.readAll();
    expect(read).toHaveLength(24);
    expect(store.appendedAfter(0, 100)).toEqual(read);
    expect(store.appendedAfter(5, 4)).toEqual(read.slice(5, 9));
    expect(store.appendedAfter(24, 10)).toEqual([]);
    // A retried append writes nothing and leaves nothing behind.
    await store.appendToStream(
      'complaint-0',
      [read[0]].map(({ id, type, data }) => ({ id, type, data, metadata: { actor: 'agent-1' } })),
    );
    expect(store.appendedAfter(24, 10)).toEqual([]);
    await store.close();
  });

  it('keeps only its latest appends (10,000 to 12,500 events): what came before is read', async () => {
    const store = new SqliteEventStore(eventsFile());
    for (let n = 0; n < 130; n++)
      await store.appendToStream(
        `complaint-${n}`,
        Array.from({ length: 100 }, (_, k) => event(100 * n + k)),
      );
    expect(await store.headPosition()).toBe(13_000);
    expect(store.appendedAfter(0, 10)).toBeUndefined();
    // Cut back to 10,000 at 12,500 (positions 2,501 on), then 500 more.
    expect(store.appendedAfter(2_499, 10)).toBeUndefined();
    expect(store.appendedAfter(2_500, 2)).toEqual(await store.readAll({ after: 2_500, maxCount: 2 }));
    expect(store.appendedAfter(12_990, 100)).toHaveLength(10);
    await store.close();
  });

  it('leaves out an append that failed its revision check, and still serves the rest of its group commit', async () => {
    const store = new SqliteEventStore(eventsFile());
    const outcomes = await Promise.allSettled([
      store.appendToStream('complaint-1', [event(1)], 'no_stream'),
      store.appendToStream('complaint-1', [event(2)], 'no_stream'),
      store.appendToStream('complaint-2', [event(3)], 'no_stream'),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(store.appendedAfter(0, 10)).toEqual(await store.readAll());
    expect(store.appendedAfter(0, 10)!.map((recorded) => recorded.data)).toEqual([event(1).data, event(3).data]);
    await store.close();
  });

  it('says nothing once another connection has written to the file (an operator, another process), so the log is read and checked', async () => {
    const file = eventsFile();
    const store = new SqliteEventStore(file);
    await store.appendToStream('complaint-1', [event(1)]);
    expect(store.appendedAfter(0, 10)).toHaveLength(1);
    const other = new Database(file);
    other.prepare("UPDATE events SET data = '{\"forged\":true}' WHERE stream_name = 'complaint-1'").run();
    other.close();
    expect(store.appendedAfter(0, 10)).toBeUndefined();
    // From its next append on, it serves what follows; what came before is read.
    await store.appendToStream('complaint-1', [event(2)]);
    expect(store.appendedAfter(0, 10)).toBeUndefined();
    expect(store.appendedAfter(1, 10)).toEqual((await store.readAll()).slice(1));
    await store.close();
  });

  it("serves nothing from before another writer's appends, and its own again from its next append on", async () => {
    const file = eventsFile();
    const store = new SqliteEventStore(file);
    const other = new SqliteEventStore(file);
    await store.appendToStream('complaint-1', [event(1)]);
    await other.appendToStream('complaint-2', [event(2)]);
    await store.appendToStream('complaint-1', [event(3)]);
    for (const after of [0, 1, 2]) expect(store.appendedAfter(after, 10)).toBeUndefined();
    await store.appendToStream('complaint-1', [event(4)]);
    expect(store.appendedAfter(3, 10)).toEqual((await store.readAll()).slice(3));
    expect(store.appendedAfter(2, 10)).toBeUndefined();
    await other.close();
    await store.close();
  });
});

describe('SqliteEventStore group commit', () => {
  it('commits concurrent appends together: one wake-up per commit, each append with its own position and chain link', async () => {
    const store = new SqliteEventStore(eventsFile());
    const wakeUps: number[] = [];
    store.onAppended((position) => wakeUps.push(position));
    const appends = Array.from({ length: 64 }, (_, n) =>
      store.appendToStream(`complaint-${n}`, [{ id: randomUUID(), type: 'A', data: { n }, metadata: {} }], 'no_stream'),
    );
    const results = await Promise.all(appends);
    expect(wakeUps.length).toBeLessThan(64);
    expect(wakeUps[wakeUps.length - 1]).toBe(Math.max(...results.map((result) => result.position)));
    expect(new Set(results.map((result) => result.position)).size).toBe(64);
    for (let n = 0; n < 64; n++) expect(verifyChain(await store.readStream(`complaint-${n}`))).toEqual({ valid: true, events: 1 });
    await store.close();
  });

  it('commits appends still waiting when the store is closed', async () => {
    const file = eventsFile();
    const store = new SqliteEventStore(file);
    const appended = store.appendToStream('complaint-1', [{ id: randomUUID(), type: 'A', data: {}, metadata: {} }], 'no_stream');
    await store.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0 });
    const reopened = new SqliteEventStore(file);
    expect(await reopened.readStream('complaint-1')).toHaveLength(1);
    await reopened.close();
  });
});
