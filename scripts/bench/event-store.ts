/**
 * Event-store appends against the floor the machine allows: raw better-sqlite3 inserts into the same table with
 * the same pragmas (WAL, synchronous=FULL), one insert per transaction and 32 per transaction; the store with one
 * sequential writer and with 64 concurrent writers (each on its own stream, each append its own command).
 *
 * Each append is a purchase on a customer's stream, complete as RecordPurchase decides it: appends onto a bench log
 * leave it a log every projection can apply (a receipt without its regime and deadlines once stopped every projection
 * of a rebuild at it). Its event id is minted as the command path mints one for a command that cannot come again
 * (event-ids.ts: time-ordered), in the store's appends and the raw inserts alike; until session 11 both took random
 * ids (version 4), as a keyed command's name-derived ids still are.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshEventId } from '../../src/core/event-ids';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import type { NewEvent } from '../../src/core/event-store/event-store.port';
import { customerStreamName } from '../../src/customers/domain/customer.decider';
import type { PurchaseRecorded } from '../../src/customers/domain/customer.events';
import { interleaved, ratios, spread, type Spread } from './stats';

const RECORDED_AT = '2026-11-27T10:00:00.000Z';
const BY = { id: 'shop', role: 'agent' } as const;
const METADATA = { actor: BY, commandId: 'x', commandType: 'RecordPurchase', occurredAt: RECORDED_AT };

/** The `n`th purchase of `customerId`, as RecordPurchase records it. */
function purchase(customerId: string, n: number): PurchaseRecorded['data'] {
  return { customerId, orderId: `order-${n}`, amount: 1999 + (n % 100), currency: 'GBP', at: RECORDED_AT, by: BY };
}

export interface EventStoreResults {
  readonly eventsPerRun: number;
  readonly eventsPerSecond: Record<string, Spread>;
  readonly ratios: Record<string, Spread>;
}

function newEvent(customerId: string, n: number): NewEvent {
  return { id: freshEventId(), type: 'PurchaseRecorded', data: purchase(customerId, n), metadata: METADATA };
}

function freshFile(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'redress-bench-es-'));
  return { file: join(dir, 'events.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function raw(events: number, perTransaction: number): Promise<number> {
  const { file, remove } = freshFile();
  const store = new SqliteEventStore(file); // the same schema
  await store.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_name, stream_revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const write = db.transaction((from: number, count: number) => {
    for (let n = from; n < from + count; n++) {
      const customerId = `raw-${n}`;
      const data = JSON.stringify(purchase(customerId, 0));
      insert.run(freshEventId(), customerStreamName(customerId), 0, 'PurchaseRecorded', data, JSON.stringify(METADATA), new Date().toISOString());
    }
  });
  const started = performance.now();
  for (let n = 0; n < events; n += perTransaction) write(n, Math.min(perTransaction, events - n));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  remove();
  return events / seconds;
}

/** Appends/s of `writers` concurrent writers, each on a stream of its own, into a fresh log or into `existing`. */
export async function store(events: number, writers: number, existing?: string): Promise<number> {
  const { file, remove } = existing ? { file: existing, remove: () => undefined } : freshFile();
  const eventStore = new SqliteEventStore(file);
  const run = randomUUID();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const customerId = `bench-w${writer}-${run}`;
      let revision: number | 'no_stream' = 'no_stream';
      while (next < events) {
        next++;
        const result = await eventStore.appendToStream(customerStreamName(customerId), [newEvent(customerId, next)], revision);
        revision = result.nextExpectedRevision;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await eventStore.close();
  remove();
  return events / seconds;
}

export async function benchEventStore(events: number, repetitions: number): Promise<EventStoreResults> {
  const runs = await interleaved(repetitions, {
    raw1: () => raw(events, 1),
    store1: () => store(events, 1),
    raw32: () => raw(events, 32),
    store64: () => store(events, 64),
  });
  return {
    eventsPerRun: events,
    eventsPerSecond: {
      'raw better-sqlite3, 1 per tx': spread(runs.raw1),
      'raw better-sqlite3, 32 per tx': spread(runs.raw32),
      'event store, 1 writer': spread(runs.store1),
      'event store, 64 writers': spread(runs.store64),
    },
    ratios: {
      'event store, 1 writer / raw 1 per tx': ratios(runs.store1, runs.raw1),
      'event store, 64 writers / raw 32 per tx': ratios(runs.store64, runs.raw32),
    },
  };
}

if (require.main === module) {
  const events = Number(process.argv[2] ?? 2000);
  void benchEventStore(events, 3).then((results) => console.log(JSON.stringify(results, null, 2)));
}
