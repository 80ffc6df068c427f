import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { EsdbEventStore } from '../../src/core/event-store/esdb-event-store';
import type { EventStore, NewEvent } from '../../src/core/event-store/event-store.port';
import { REDRESS_STREAM_PREFIXES } from '../../src/event-schemas';
import { EsdbDouble } from '../support/esdb-double';
import { eventStoreContract } from './event-store.contract';

/**
 * The event-store contract over the real @eventstore/db-client and real gRPC: against the
 * protocol double always, and against a real EventStoreDB / KurrentDB when EVENTSTORE_URL is
 * set (e.g. `EVENTSTORE_URL=esdb://localhost:2113?tls=false npx jest test/contract/esdb`).
 */

const quietLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const event = (type: string, data: unknown = {}): NewEvent => ({ id: randomUUID(), type, data, metadata: { commandId: 'c' } });
const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('EsdbEventStore on the EventStoreDB protocol double', () => {
  let double: EsdbDouble;
  beforeAll(async () => {
    double = await EsdbDouble.start();
  });
  afterAll(async () => {
    await double.stop();
  });

  eventStoreContract(
    'EsdbEventStore (double, BatchAppend)',
    async () => new EsdbEventStore(double.url, { streamPrefixes: REDRESS_STREAM_PREFIXES, logger: quietLogger }),
  );

  describe('with an older server', () => {
    let legacy: EsdbDouble;
    beforeAll(async () => {
      legacy = await EsdbDouble.start({ batchAppend: false, idempotentWritePosition: 'none', systemEvents: false });
    });
    afterAll(async () => {
      await legacy.stop();
    });

    eventStoreContract(
      'EsdbEventStore (double, Append, no position on idempotent writes)',
      async () => new EsdbEventStore(legacy.url, { streamPrefixes: REDRESS_STREAM_PREFIXES, logger: quietLogger }),
    );
  });

  describe('EventStoreDB specifics', () => {
    let store: EsdbEventStore;
    let raw: EventStoreDBClient;
    beforeEach(() => {
      store = new EsdbEventStore(double.url, {
        streamPrefixes: REDRESS_STREAM_PREFIXES,
        logger: quietLogger,
        reconnectDelayMs: { initial: 20, max: 200 },
      });
      raw = EventStoreDBClient.connectionString(double.url);
    });
    afterEach(async () => {
      await store.close();
      await raw.dispose();
      await double.resume();
    });

    it("keeps system events and other applications' streams out of the global log", async () => {
      const ours = `complaint-${randomUUID()}`;
      await raw.appendToStream(`billing-${randomUUID()}`, jsonEvent({ type: 'InvoiceSent', data: {} }));
      await store.appendToStream(ours, [event('A')]);
      const all = await store.readAll();
      expect(all.every((e) => REDRESS_STREAM_PREFIXES.some((prefix) => e.streamName.startsWith(prefix)))).toBe(true);
      expect(all.some((e) => e.type.startsWith('$'))).toBe(false);
      expect(all.at(-1)).toMatchObject({ streamName: ours, type: 'A' });
      expect(await store.headPosition()).toBe(all.at(-1)!.position);
    });

    it('has positions that order the log but are not consecutive (byte offsets in the transaction file)', async () => {
      const s = `complaint-${randomUUID()}`;
      const result = await store.appendToStream(s, [event('A'), event('B')]);
      const [a, b] = await store.readStream(s);
      expect(b.position).toBe(result.position);
      expect(b.position - a.position).toBeGreaterThan(1);
    });

    it('maps the any expected revision to the exact revision read, so a concurrent burst never forks the hash chain', async () => {
      const s = `complaint-${randomUUID()}`;
      await Promise.all(Array.from({ length: 15 }, (_, n) => store.appendToStream(s, [event(`E${n}`)], 'any')));
      const events = await store.readStream(s);
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 15 }, (_, n) => n));
      for (let n = 1; n < events.length; n++) expect(events[n].metadata['prevHash']).toBe(events[n - 1].metadata['hash']);
    });

    it('answers a concurrent copy of the same events from the store, once written', async () => {
      const s = `complaint-${randomUUID()}`;
      const same = [event('A'), event('B')];
      const copies = (n: number) => same.map((e) => ({ ...e, metadata: { ...e.metadata, copy: n } }));
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => store.appendToStream(s, copies(n), 'no_stream')));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => `${r.nextExpectedRevision}@${r.position}`)).size).toBe(1);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('recognises a retried command appended by another instance once it has read the stream', async () => {
      const s = `complaint-${randomUUID()}`;
      const e = event('A', { x: 1 });
      const other = new EsdbEventStore(double.url, { streamPrefixes: REDRESS_STREAM_PREFIXES, logger: quietLogger });
      try {
        await other.appendToStream(s, [e]);
        expect(await store.findEventById(e.id)).toBeUndefined();
        await store.readStream(s);
        expect(await store.findEventById(e.id)).toMatchObject({ id: e.id, streamName: s, revision: 0 });
      } finally {
        await other.close();
      }
    });

    it('wakes listeners for appends made by another process, through the subscription', async () => {
      const positions: number[] = [];
      const unsubscribe = store.onAppended((position) => positions.push(position));
      await until(() => store.subscriptionStatus().state === 'live');
      const other = new EsdbEventStore(double.url, { streamPrefixes: REDRESS_STREAM_PREFIXES, logger: quietLogger });
      try {
        const { position } = await other.appendToStream(`customer-${randomUUID()}`, [event('A')]);
        await raw.appendToStream(`billing-${randomUUID()}`, jsonEvent({ type: 'NotOurs', data: {} }));
        await until(() => positions.includes(position));
        expect(positions).toEqual([position]);
        expect(store.subscriptionStatus()).toMatchObject({ state: 'live', lastPosition: position, reconnects: 0 });
      } finally {
        unsubscribe();
        await other.close();
      }
    });

    it('resumes after a dropped subscription from the last position it saw, missing nothing appended meanwhile', async () => {
      const positions: number[] = [];
      const unsubscribe = store.onAppended((position) => positions.push(position));
      const other = new EsdbEventStore(double.url, { streamPrefixes: REDRESS_STREAM_PREFIXES, logger: quietLogger });
      try {
        await until(() => store.subscriptionStatus().state === 'live');
        const first = await other.appendToStream(`complaint-${randomUUID()}`, [event('A')]);
        await until(() => positions.includes(first.position));

        await double.stop();
        await until(() => store.subscriptionStatus().state === 'reconnecting');
        expect(store.subscriptionStatus().lastError).toEqual(expect.any(String));
        await double.resume();
        const during = await other.appendToStream(`complaint-${randomUUID()}`, [event('B')]);
        await until(() => positions.includes(during.position), 10_000);
        await until(() => store.subscriptionStatus().state === 'live');

        double.dropSubscriptions();
        const after = await other.appendToStream(`complaint-${randomUUID()}`, [event('C')]);
        await until(() => positions.includes(after.position), 10_000);
        expect(positions).toEqual([first.position, during.position, after.position]);
        expect(store.subscriptionStatus().reconnects).toBeGreaterThanOrEqual(2);
      } finally {
        unsubscribe();
        await other.close();
      }
    });

    it("maps the server's wrong expected version to the port's error with the actual revision", async () => {
      const s = `complaint-${randomUUID()}`;
      await store.appendToStream(s, [event('A')], 'no_stream');
      // Another client (not through this store) appended meanwhile.
      await raw.appendToStream(s, jsonEvent({ type: 'Sneaky', data: {} }));
      await expect(store.appendToStream(s, [event('B')], 0)).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actual: 1 });
    });
  });
});

// No server can run where CI runs, so this suite is opt-in rather than a skip to be explained.
const realServer = process.env['EVENTSTORE_URL'];
if (realServer) {
  describe('EsdbEventStore on a real server (EVENTSTORE_URL)', () => {
    eventStoreContract(
      'EsdbEventStore (EVENTSTORE_URL)',
      async (): Promise<EventStore> => new EsdbEventStore(realServer, { streamPrefixes: REDRESS_STREAM_PREFIXES, logger: quietLogger }),
    );
  });
}
