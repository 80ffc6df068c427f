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

eventStoreContract('SqliteEventStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-es-'));
  dirs.push(dir);
  return new SqliteEventStore(join(dir, 'events.db'));
});

describe('SqliteEventStore durability settings', () => {
  it('uses WAL with synchronous=FULL so an acknowledged append is on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-es-'));
    dirs.push(dir);
    const store = new SqliteEventStore(join(dir, 'events.db'));
    const pragmas = (store as unknown as { db: { pragma(q: string, o: object): unknown } }).db;
    expect(pragmas.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(pragmas.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
  });

  it('keeps appended events across reopening the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-es-'));
    dirs.push(dir);
    const file = join(dir, 'events.db');
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
    const dir = mkdtempSync(join(tmpdir(), 'redress-es-'));
    dirs.push(dir);
    const file = join(dir, 'events.db');
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

describe('SqliteEventStore group commit', () => {
  it('commits concurrent appends together: one wake-up per commit, each append with its own position and chain link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-es-'));
    dirs.push(dir);
    const store = new SqliteEventStore(join(dir, 'events.db'));
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
    const dir = mkdtempSync(join(tmpdir(), 'redress-es-'));
    dirs.push(dir);
    const file = join(dir, 'events.db');
    const store = new SqliteEventStore(file);
    const appended = store.appendToStream('complaint-1', [{ id: randomUUID(), type: 'A', data: {}, metadata: {} }], 'no_stream');
    await store.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0 });
    const reopened = new SqliteEventStore(file);
    expect(await reopened.readStream('complaint-1')).toHaveLength(1);
    await reopened.close();
  });
});
