import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  STREAM_EXISTS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { EsdbDouble } from './esdb-double';

/**
 * The double as the official client sees it: these are the server behaviours the adapter relies
 * on, checked through the unmodified @eventstore/db-client over gRPC.
 */
describe('EventStoreDB protocol double', () => {
  let double: EsdbDouble;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    double = await EsdbDouble.start();
    client = EventStoreDBClient.connectionString(double.url);
  });
  afterAll(async () => {
    await client.dispose();
    await double.stop();
  });

  const stream = () => `test-${randomUUID()}`;
  const events = (...types: string[]) => types.map((type) => jsonEvent({ id: randomUUID(), type, data: { type } }));
  const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
    const items: T[] = [];
    for await (const item of source) items.push(item);
    return items;
  };

  it('starts like a fresh server: system events first, positions as growing byte offsets', async () => {
    const all = await collect(client.readAll({ fromPosition: START, maxCount: 6 }));
    expect(all.map((e) => e.event!.streamId)).toEqual([
      '$epoch-information',
      '$users',
      '$user-admin',
      '$users',
      '$settings',
      '$$$scavenges',
    ]);
    const commits = all.map((e) => Number(e.event!.position.commit));
    expect(commits).toEqual([...commits].sort((a, b) => a - b));
    expect(commits[1] - commits[0]).toBeGreaterThan(1);
  });

  it('appends through BatchAppend (advertised) and reports revision and position; Append when not advertised', async () => {
    const s = stream();
    const result = await client.appendToStream(s, events('A', 'B'), { expectedRevision: NO_STREAM });
    const stored = await collect(client.readStream(s));
    expect(result).toEqual({
      success: true,
      nextExpectedRevision: 1n,
      position: { commit: stored[1].event!.position!.commit, prepare: expect.any(BigInt) },
    });

    const legacy = await EsdbDouble.start({ batchAppend: false });
    const legacyClient = EventStoreDBClient.connectionString(legacy.url);
    try {
      const appended = await legacyClient.appendToStream(s, events('A'), { expectedRevision: NO_STREAM });
      expect(appended).toMatchObject({ success: true, nextExpectedRevision: 0n });
    } finally {
      await legacyClient.dispose();
      await legacy.stop();
    }
  });

  it.each([
    ['BatchAppend', true],
    ['Append', false],
  ])('answers a wrong expected version with its details (%s)', async (_name, batchAppend) => {
    const server = batchAppend ? double : await EsdbDouble.start({ batchAppend: false });
    const c = batchAppend ? client : EventStoreDBClient.connectionString(server.url);
    try {
      const s = stream();
      await c.appendToStream(s, events('A', 'B'));
      await expect(c.appendToStream(s, events('C'), { expectedRevision: NO_STREAM })).rejects.toMatchObject({
        constructor: WrongExpectedVersionError,
        streamName: s,
        expectedVersion: 'no_stream',
        actualVersion: 1n,
      });
      await expect(c.appendToStream(s, events('C'), { expectedRevision: 0n })).rejects.toMatchObject({
        expectedVersion: 0n,
        actualVersion: 1n,
      });
      await expect(c.appendToStream(stream(), events('C'), { expectedRevision: STREAM_EXISTS })).rejects.toMatchObject({
        expectedVersion: 'stream_exists',
        actualVersion: 'no_stream',
      });
    } finally {
      if (!batchAppend) {
        await c.dispose();
        await server.stop();
      }
    }
  });

  describe("idempotent appends (the server's rules)", () => {
    it('an exact expected revision before the events written with it: success, nothing written', async () => {
      const s = stream();
      const first = events('A', 'B');
      await client.appendToStream(s, first, { expectedRevision: NO_STREAM });
      await client.appendToStream(s, events('C'), { expectedRevision: 1n });
      const again = await client.appendToStream(s, first, { expectedRevision: NO_STREAM });
      expect(again).toMatchObject({ success: true, nextExpectedRevision: 1n });
      expect(await collect(client.readStream(s))).toHaveLength(3);
    });

    it('a partial match is a wrong expected version (corrupted idempotency)', async () => {
      const s = stream();
      const [a, b] = events('A', 'B');
      await client.appendToStream(s, [a, b], { expectedRevision: NO_STREAM });
      await expect(client.appendToStream(s, [a, ...events('X')], { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
    });

    it('any: recognised from the recently committed events', async () => {
      const s = stream();
      const first = events('A');
      await client.appendToStream(s, first);
      await client.appendToStream(s, events('B'));
      expect(await client.appendToStream(s, first)).toMatchObject({ success: true, nextExpectedRevision: 0n });
      expect(await collect(client.readStream(s))).toHaveLength(2);
    });

    it('the same ids at the current revision are written again: the server does not look further back', async () => {
      const s = stream();
      const first = events('A');
      await client.appendToStream(s, first);
      await client.appendToStream(s, first, { expectedRevision: 0n });
      expect(await collect(client.readStream(s))).toHaveLength(2);
    });
  });

  it('reads streams forwards, backwards, from a revision, with a count; an unknown one is not found', async () => {
    const s = stream();
    await client.appendToStream(s, events('A', 'B', 'C', 'D'));
    const types = async (options: Parameters<EventStoreDBClient['readStream']>[1]) =>
      (await collect(client.readStream(s, options))).map((e) => e.event!.type);
    expect(await types({ direction: BACKWARDS, fromRevision: END })).toEqual(['D', 'C', 'B', 'A']);
    expect(await types({ direction: BACKWARDS, fromRevision: 2n, maxCount: 2 })).toEqual(['C', 'B']);
    expect(await types({ fromRevision: 1n, maxCount: 2 })).toEqual(['B', 'C']);
    await expect(collect(client.readStream(stream()))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all forwards from a position (inclusive) and backwards from one (exclusive)', async () => {
    const s = stream();
    await client.appendToStream(s, events('A', 'B', 'C'));
    const mine = (await collect(client.readAll({ fromPosition: START }))).filter((e) => e.event?.streamId === s);
    const b = mine[1].event!.position;
    expect((await collect(client.readAll({ fromPosition: b, maxCount: 2 }))).map((e) => e.event!.type)).toEqual(['B', 'C']);
    expect((await collect(client.readAll({ fromPosition: b, direction: BACKWARDS, maxCount: 1 }))).map((e) => e.event!.type)).toEqual([
      'A',
    ]);
    expect((await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })))[0].event!.type).toBe('C');
  });

  it('subscribes to $all: confirmation, events after an exclusive start, checkpoints while filtering, caught up, then live', async () => {
    const s = `sub-${randomUUID()}`;
    await client.appendToStream(s, events('A', 'B'));
    const [a] = (await collect(client.readAll({ fromPosition: START }))).filter((e) => e.event?.streamId === s);
    // Enough foreign records that a filtered subscription reports progress without matches.
    for (let i = 0; i < 40; i++) await client.appendToStream(stream(), events('Noise'));

    const seen: string[] = [];
    const checkpoints: bigint[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: a.event!.position,
      filter: streamNameFilter({
        prefixes: ['sub-'],
        checkpointInterval: 1,
        checkpointReached: (_sub, position) => {
          checkpoints.push(position.commit);
        },
      }),
    });
    subscription.on('confirmation', () => seen.push('confirmation'));
    subscription.on('caughtUp', () => seen.push('caughtUp'));
    const live = s.replace('sub-', 'sub-live-');
    try {
      for await (const resolved of subscription) {
        seen.push(resolved.event!.type);
        if (resolved.event!.type === 'B') await client.appendToStream(live, events('Live'));
        if (resolved.event!.type === 'Live') break;
      }
    } finally {
      await subscription.unsubscribe();
    }
    expect(seen.filter((item) => !item.startsWith('check'))).toEqual(['confirmation', 'B', 'caughtUp', 'Live']);
    expect(checkpoints.length).toBeGreaterThan(0);
  });

  it('discovers itself through gossip (esdb+discover://) as the leader', async () => {
    const discovering = EventStoreDBClient.connectionString(`esdb+discover://127.0.0.1:${double.port}?tls=false`);
    try {
      const s = stream();
      await discovering.appendToStream(s, events('A'));
      expect((await collect(discovering.readStream(s))).map((e) => e.event!.type)).toEqual(['A']);
    } finally {
      await discovering.dispose();
    }
  });
});
