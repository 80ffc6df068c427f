import { randomUUID } from 'node:crypto';
import { AppendResult, EventStore, NewEvent, WrongExpectedRevisionError } from '../../src/core/event-store/event-store.port';
import { GENESIS_HASH, verifyChain } from '../../src/core/event-store/hash-chain';
import { commandEventIds } from '../../src/core/event-ids';

/**
 * The behaviour every event-store adapter must have. Each adapter's spec calls this with a
 * factory for a fresh, empty store; streams get unique names so a shared server also works.
 */
export function eventStoreContract(name: string, createStore: () => Promise<EventStore>): void {
  describe(`${name} (event-store contract)`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await createStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const stream = () => `complaint-${randomUUID()}`;
    const event = (type: string, data: unknown = {}, id: string = randomUUID()): NewEvent => ({
      id,
      type,
      data,
      metadata: { commandId: 'c' },
    });
    /** Where an append put its events (a duplicate gives no `recorded`: it wrote nothing). */
    const placeOf = ({ nextExpectedRevision, position }: AppendResult) => ({ nextExpectedRevision, position });

    it('gives the appended events, when it gives them, exactly as a read of them returns them', async () => {
      const s = stream();
      await store.appendToStream(s, [event('A', { n: 1 })], 'no_stream');
      const result = await store.appendToStream(s, [event('B', { z: 1, a: [2, { y: 3, b: 4 }] }), event('C')], 0);
      if (result.recorded === undefined) return;
      expect(result.recorded).toEqual(await store.readStream(s, { fromRevision: 1 }));
      expect(verifyChain(await store.readStream(s))).toEqual({ valid: true, events: 3 });
    });

    it('appends to a new stream from revision 0 and reads it back in order with data and metadata', async () => {
      const s = stream();
      const result = await store.appendToStream(s, [event('A', { n: 1 }), event('B', { n: 2 })], 'no_stream');
      expect(result).toMatchObject({ nextExpectedRevision: 1, duplicate: false });
      const read = await store.readStream(s);
      expect(read.map((e) => [e.type, e.revision, e.data, e.metadata])).toEqual([
        ['A', 0, { n: 1 }, expect.objectContaining({ commandId: 'c' })],
        ['B', 1, { n: 2 }, expect.objectContaining({ commandId: 'c' })],
      ]);
      expect(read[1].position).toBe(result.position);
      expect(read[0].position).toBeLessThan(read[1].position);
      expect(read[0].streamName).toBe(s);
    });

    it('reads an unknown stream as empty', async () => {
      expect(await store.readStream(stream())).toEqual([]);
    });

    it('appends at an exact expected revision and refuses a stale one', async () => {
      const s = stream();
      await store.appendToStream(s, [event('A')], 'no_stream');
      await store.appendToStream(s, [event('B')], 0);
      await expect(store.appendToStream(s, [event('C')], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.appendToStream(s, [event('C')], 'no_stream')).rejects.toMatchObject({ actual: 1 });
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('refuses an exact revision or stream_exists on a stream that does not exist', async () => {
      await expect(store.appendToStream(stream(), [event('A')], 0)).rejects.toMatchObject({ actual: 'no_stream' });
      await expect(store.appendToStream(stream(), [event('A')], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('appends whatever the revision when any is expected', async () => {
      const s = stream();
      await store.appendToStream(s, [event('A')], 'any');
      const result = await store.appendToStream(s, [event('B')], 'any');
      expect(result.nextExpectedRevision).toBe(1);
    });

    it('treats re-appending already stored event ids as a no-op returning the original result', async () => {
      const s = stream();
      const events = [event('A'), event('B')];
      const first = await store.appendToStream(s, events, 'no_stream');
      await store.appendToStream(s, [event('C')], 1);
      const again = await store.appendToStream(s, events, 'no_stream');
      expect(again).toEqual({ ...placeOf(first), duplicate: true });
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('reads a stream backwards and from a revision, with a count', async () => {
      const s = stream();
      await store.appendToStream(
        s,
        ['A', 'B', 'C', 'D'].map((t) => event(t)),
        'no_stream',
      );
      expect((await store.readStream(s, { direction: 'backwards' })).map((e) => e.type)).toEqual(['D', 'C', 'B', 'A']);
      expect((await store.readStream(s, { direction: 'backwards', fromRevision: 2, maxCount: 2 })).map((e) => e.type)).toEqual(['C', 'B']);
      expect((await store.readStream(s, { fromRevision: 1, maxCount: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
    });

    it('reads the global log in position order across streams, after a position, in pages', async () => {
      const [s1, s2] = [stream(), stream()];
      const start = (await store.readAll()).at(-1)?.position;
      await store.appendToStream(s1, [event('A')]);
      await store.appendToStream(s2, [event('B')]);
      await store.appendToStream(s1, [event('C')]);
      const ours = (await store.readAll({ after: start })).filter((e) => e.streamName === s1 || e.streamName === s2);
      expect(ours.map((e) => `${e.streamName === s1 ? 1 : 2}${e.type}`)).toEqual(['1A', '2B', '1C']);
      const page = await store.readAll({ after: ours[0].position, maxCount: 1 });
      expect(page.map((e) => e.type)).toEqual(['B']);
    });

    it('reports the head position and how many events lie after a position', async () => {
      const before = await store.headPosition();
      await store.appendToStream(stream(), [event('A'), event('B')]);
      const head = await store.headPosition();
      expect(head).toBeGreaterThan(before);
      expect(await store.countEventsAfter(before)).toBe(2);
      expect(await store.countEventsAfter(head)).toBe(0);
    });

    it('chains each stream with prevHash and hash across appends, verifiable by anyone', async () => {
      const s = stream();
      await store.appendToStream(s, [event('A', { n: 1 }), event('B', { n: 2 })]);
      await store.appendToStream(s, [event('C', { nested: { z: 1, a: [1, 'x'] } })]);
      const events = await store.readStream(s);
      expect(events[0].metadata['prevHash']).toBe(GENESIS_HASH);
      expect(events[1].metadata['prevHash']).toBe(events[0].metadata['hash']);
      expect(events[2].metadata['prevHash']).toBe(events[1].metadata['hash']);
      expect(events[2].metadata['hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(verifyChain(events)).toEqual({ valid: true, events: 3 });
      const tampered = events.map((e, i) => (i === 1 ? { ...e, data: { n: 3 } } : e));
      expect(verifyChain(tampered)).toMatchObject({ valid: false, brokenAt: 1 });
    });

    it('finds a recorded event by id', async () => {
      const s = stream();
      const e = event('A', { x: 1 });
      await store.appendToStream(s, [e]);
      expect(await store.findEventById(e.id)).toMatchObject({ id: e.id, streamName: s, type: 'A', data: { x: 1 }, revision: 0 });
      expect(await store.findEventById(randomUUID())).toBeUndefined();
    });

    it('keeps the time-ordered (version 7) ids a new command mints, through appends, reads, the log and lookups by id', async () => {
      const s = stream();
      const ids = commandEventIds(s, 'made-for-this-request', false);
      const appended = [event('A', { n: 1 }, ids(0)), event('B', { n: 2 }, ids(1))];
      const start = (await store.readAll()).at(-1)?.position;
      await store.appendToStream(s, appended, 'no_stream');
      expect((await store.readStream(s)).map((e) => e.id)).toEqual([ids(0), ids(1)]);
      const logged = (await store.readAll({ after: start })).filter((e) => e.streamName === s);
      expect(logged.map((e) => e.id)).toEqual([ids(0), ids(1)]);
      expect(await store.findEventById(ids(1))).toMatchObject({ id: ids(1), streamName: s, revision: 1 });
      expect(await store.appendToStream(s, appended, 'no_stream')).toMatchObject({ duplicate: true, nextExpectedRevision: 1 });
    });

    it('wakes listeners after an append that wrote events, not after a duplicate', async () => {
      const positions: number[] = [];
      const unsubscribe = store.onAppended((position) => positions.push(position));
      const e = event('A');
      const result = await store.appendToStream(stream(), [e]);
      await store.appendToStream(stream(), [event('B')]);
      unsubscribe();
      await store.appendToStream(stream(), [event('C')]);
      expect(positions).toHaveLength(2);
      expect(positions[0]).toBe(result.position);
    });

    it('lets exactly one of several concurrent appends at the same revision win', async () => {
      const s = stream();
      await store.appendToStream(s, [event('A')], 'no_stream');
      const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => store.appendToStream(s, [event(`B${n}`)], 0)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected').every((o) => o.reason instanceof WrongExpectedRevisionError)).toBe(true);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('keeps each concurrent append to its own revision check and result: a conflicting one fails alone, the others commit', async () => {
      const [a, b, c] = [stream(), stream(), stream()];
      await store.appendToStream(b, [event('B0')], 'no_stream');
      const outcomes = await Promise.allSettled([
        store.appendToStream(a, [event('A0'), event('A1')], 'no_stream'),
        store.appendToStream(b, [event('B-stale')], 5),
        store.appendToStream(c, [event('C0')], 'no_stream'),
        store.appendToStream(b, [event('B1')], 0),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ streamName: b, expected: 5, actual: 0 });
      const results = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      expect(results.map((result) => result.nextExpectedRevision)).toEqual([1, 0, 1]);
      expect(new Set(results.map((result) => result.position)).size).toBe(3);
      expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A0', 'A1']);
      expect((await store.readStream(b)).map((e) => e.type)).toEqual(['B0', 'B1']);
      expect((await store.readStream(c)).map((e) => e.type)).toEqual(['C0']);
    });

    it('chains concurrent appends to one stream without a gap: each links to the one committed before it', async () => {
      const s = stream();
      await store.appendToStream(s, [event('A')], 'no_stream');
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, n) => store.appendToStream(s, [event(`E${n}`), event(`F${n}`)], 'any')),
      );
      const read = await store.readStream(s);
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 25 }, (_, n) => n));
      expect(verifyChain(read)).toEqual({ valid: true, events: 25 });
      expect(results.map((result) => result.nextExpectedRevision).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 12 }, (_, n) => 2 * n + 2),
      );
    });

    it('answers a duplicate among concurrent appends with the original result while the others commit', async () => {
      const s = stream();
      const first = event('A');
      const original = await store.appendToStream(s, [first], 'no_stream');
      const [again, other] = await Promise.all([
        store.appendToStream(s, [first], 'no_stream'),
        store.appendToStream(stream(), [event('B')]),
      ]);
      expect(again).toEqual({ ...placeOf(original), duplicate: true });
      expect(other.duplicate).toBe(false);
      expect(await store.readStream(s)).toHaveLength(1);
    });
  });
}
