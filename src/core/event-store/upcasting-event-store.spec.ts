import type { DomainEvent } from '../decider';
import type { RecordedEvent } from './event-store.port';
import { verifyChain } from './hash-chain';
import { SqliteEventStore } from './sqlite-event-store';
import {
  EventCatalogue,
  UnknownEventTypeError,
  UpcastingEventStore,
  currentSchemaVersion,
  eventStoreOfKind,
  upcast,
} from './upcasting-event-store';

type SpecEvent =
  | DomainEvent<'Greeted', { fullName: string; polite: true }>
  | DomainEvent<'Named', { label: string }>
  | DomainEvent<'Plain', { keep?: boolean }>;

/**
 * A catalogue with a history of its own:
 * - Greeted v1 `{name}` → v2 `{fullName}` → v3 `{fullName, polite: true}`;
 * - Named v1 `{label: 'x'}` → v2 `{label: 'X'}` (upper case);
 * - Plain has never changed.
 */
const REGISTRY: EventCatalogue<SpecEvent> = {
  Greeted: {
    1: ({ name, ...rest }: { name: string }) => ({ ...rest, fullName: name }),
    2: (data: object) => ({ ...data, polite: true }),
  },
  Named: { 1: (data: { label: string }) => ({ ...data, label: data.label.toUpperCase() }) },
  Plain: {},
};

function recorded(type: string, data: unknown, metadata: Record<string, unknown> = {}): RecordedEvent {
  return { id: `id-${type}`, streamName: 's-1', type, data, metadata, revision: 0, position: 1, recordedAt: '2025-03-03T09:00:00.000Z' };
}

describe('currentSchemaVersion', () => {
  it('is one past the last upcaster of the type, and 1 for a type that never changed or is unknown', () => {
    expect(currentSchemaVersion(REGISTRY, 'Greeted')).toBe(3);
    expect(currentSchemaVersion(REGISTRY, 'Named')).toBe(2);
    expect(currentSchemaVersion(REGISTRY, 'Plain')).toBe(1);
    expect(currentSchemaVersion({}, 'Greeted')).toBe(1);
    expect(currentSchemaVersion({ Empty: {} }, 'Empty')).toBe(1);
  });
});

describe('upcast', () => {
  it('runs every step from the stored version up to the current one, in order', () => {
    const event = recorded('Greeted', { name: 'Ada', extra: 1 }, { schemaVersion: 1 });
    expect(upcast(REGISTRY, event)).toEqual({ ...event, data: { extra: 1, fullName: 'Ada', polite: true } });
    const v2 = recorded('Greeted', { fullName: 'Ada' }, { schemaVersion: 2 });
    expect(upcast(REGISTRY, v2).data).toEqual({ fullName: 'Ada', polite: true });
  });

  it('treats an event without a schema version as version 1', () => {
    expect(upcast(REGISTRY, recorded('Named', { label: 'abc' })).data).toEqual({ label: 'ABC' });
  });

  it('returns current events, events of unchanged types and unknown types as they are (the same object)', () => {
    const current = recorded('Greeted', { fullName: 'Ada', polite: true }, { schemaVersion: 3 });
    expect(upcast(REGISTRY, current)).toBe(current);
    const plain = recorded('Plain', { x: 1 }, { schemaVersion: 1 });
    expect(upcast(REGISTRY, plain)).toBe(plain);
  });

  it('changes only the data: metadata, id, revision, position and the stored object stay', () => {
    const stored = recorded('Named', { label: 'abc' }, { schemaVersion: 1, hash: 'h', prevHash: 'p' });
    const snapshot = JSON.parse(JSON.stringify(stored));
    const read = upcast(REGISTRY, stored);
    expect(read).toEqual({ ...snapshot, data: { label: 'ABC' } });
    expect(read.metadata).toEqual({ schemaVersion: 1, hash: 'h', prevHash: 'p' });
    expect(stored).toEqual(snapshot);
  });
});

describe('UpcastingEventStore', () => {
  let inner: SqliteEventStore;
  let store: UpcastingEventStore<SpecEvent>;
  beforeEach(() => {
    inner = new SqliteEventStore(':memory:');
    store = new UpcastingEventStore(inner, REGISTRY);
  });
  afterEach(async () => {
    await store.close();
  });

  it('stamps each appended event with its type’s current schema version, keeping its own metadata', async () => {
    await store.appendToStream('s-1', [
      { id: 'e1', type: 'Greeted', data: { fullName: 'Ada', polite: true }, metadata: { actor: { id: 'a', role: 'agent' } } },
      { id: 'e2', type: 'Named', data: { label: 'X' }, metadata: { commandId: 'c-1' } },
      { id: 'e3', type: 'Plain', data: {}, metadata: { schemaVersion: 99 } },
    ]);
    const stored = await inner.readStream('s-1');
    expect(stored.map((event) => event.metadata['schemaVersion'])).toEqual([3, 2, 1]);
    expect(stored[0].metadata).toMatchObject({ actor: { id: 'a', role: 'agent' } });
    expect(stored[1].metadata).toMatchObject({ commandId: 'c-1' });
  });

  it('hashes the stamped metadata: the stored chain verifies', async () => {
    await store.appendToStream('s-1', [{ id: 'e1', type: 'Greeted', data: { fullName: 'Ada', polite: true }, metadata: {} }]);
    await store.appendToStream('s-1', [{ id: 'e2', type: 'Named', data: { label: 'Y' }, metadata: {} }]);
    expect(verifyChain(await inner.readStream('s-1'))).toEqual({ valid: true, events: 2 });
  });

  describe('reading old events', () => {
    beforeEach(async () => {
      // Written "before" the schema changes: straight into the inner store, at version 1.
      await inner.appendToStream('s-1', [
        { id: 'old-1', type: 'Greeted', data: { name: 'Ada' }, metadata: { schemaVersion: 1 } },
        { id: 'old-2', type: 'Named', data: { label: 'abc' }, metadata: { schemaVersion: 1 } },
        { id: 'old-3', type: 'Plain', data: { keep: true }, metadata: { schemaVersion: 1 } },
      ]);
      await store.appendToStream('s-2', [{ id: 'new-1', type: 'Greeted', data: { fullName: 'Bo', polite: true }, metadata: {} }]);
    });

    const current = [{ fullName: 'Ada', polite: true }, { label: 'ABC' }, { keep: true }];

    it('upcasts on readStream, forwards and backwards', async () => {
      expect((await store.readStream('s-1')).map((event) => event.data)).toEqual(current);
      expect((await store.readStream('s-1', { direction: 'backwards', maxCount: 2 })).map((event) => event.data)).toEqual([
        { keep: true },
        { label: 'ABC' },
      ]);
      expect((await store.readStream('s-1', { fromRevision: 1 })).map((event) => event.revision)).toEqual([1, 2]);
    });

    it('upcasts on readAll and findEventById', async () => {
      expect((await store.readAll()).map((event) => event.data)).toEqual([...current, { fullName: 'Bo', polite: true }]);
      expect((await store.readAll({ after: 1, maxCount: 1 })).map((event) => event.data)).toEqual([{ label: 'ABC' }]);
      expect((await store.findEventById('old-1'))?.data).toEqual({ fullName: 'Ada', polite: true });
      expect(await store.findEventById('nope')).toBeUndefined();
    });

    it('leaves the stored bytes and their hashes alone: `inner` reads them as written, and they still verify', async () => {
      await store.readStream('s-1');
      await store.readAll();
      const stored = await store.inner.readStream('s-1');
      expect(stored.map((event) => event.data)).toEqual([{ name: 'Ada' }, { label: 'abc' }, { keep: true }]);
      expect(stored.map((event) => event.metadata['schemaVersion'])).toEqual([1, 1, 1]);
      expect(verifyChain(stored)).toEqual({ valid: true, events: 3 });
      // The upcast view keeps the stored metadata (schema version and hashes of the stored bytes).
      const read = await store.readStream('s-1');
      expect(read.map((event) => event.metadata)).toEqual(stored.map((event) => event.metadata));
    });

    it('appends after old events continue the stored chain', async () => {
      await store.appendToStream('s-1', [{ id: 'new-2', type: 'Named', data: { label: 'Z' }, metadata: {} }], 2);
      const stored = await inner.readStream('s-1');
      expect(stored.map((event) => event.metadata['schemaVersion'])).toEqual([1, 1, 1, 2]);
      expect(verifyChain(stored)).toEqual({ valid: true, events: 4 });
    });
  });

  it('refuses to read an event of a type its catalogue does not have, naming its stream, revision and type', async () => {
    await inner.appendToStream('s-1', [
      { id: 'e1', type: 'Plain', data: {}, metadata: {} },
      { id: 'e2', type: 'Teleported', data: {}, metadata: {} },
    ]);
    await expect(store.readStream('s-1')).rejects.toThrow(UnknownEventTypeError);
    await expect(store.readAll()).rejects.toThrow(/s-1 revision 1 \(position 2\) holds an event of type Teleported/);
    await expect(store.findEventById('e2')).rejects.toMatchObject({ event: { streamName: 's-1', revision: 1, type: 'Teleported' } });
    expect((await store.findEventById('e1'))?.type).toBe('Plain');
  });

  it('gives its own latest appends as a read of the log would: upcast and typed, an unknown type refused', async () => {
    await inner.appendToStream('s-1', [{ id: 'old', type: 'Greeted', data: { name: 'Ada' }, metadata: { schemaVersion: 1 } }]);
    await store.appendToStream('s-1', [{ id: 'new', type: 'Plain', data: { keep: true }, metadata: {} }]);
    expect(store.appendedAfter(0, 10)).toEqual(await store.readAll());
    expect(store.appendedAfter(0, 10)!.map((event) => event.data)).toEqual([{ fullName: 'Ada', polite: true }, { keep: true }]);
    await inner.appendToStream('s-1', [{ id: 'odd', type: 'Teleported', data: {}, metadata: {} }]);
    expect(() => store.appendedAfter(2, 10)).toThrow(UnknownEventTypeError);
  });

  it('delegates positions, counts, notifications and close to the inner store', async () => {
    const seen: number[] = [];
    const unsubscribe = store.onAppended((position) => seen.push(position));
    await store.appendToStream('s-1', [{ id: 'e1', type: 'Plain', data: {}, metadata: {} }]);
    await inner.appendToStream('s-1', [{ id: 'e2', type: 'Plain', data: {}, metadata: {} }]);
    unsubscribe();
    await store.appendToStream('s-1', [{ id: 'e3', type: 'Plain', data: {}, metadata: {} }]);
    expect(seen).toEqual([1, 2]);
    expect(await store.headPosition()).toBe(await inner.headPosition());
    expect(await store.countEventsAfter(1)).toBe(2);
  });
});

describe('eventStoreOfKind', () => {
  type Other = DomainEvent<'Other', Record<string, never>>;
  const OTHER: EventCatalogue<Other> = { Other: {} };
  let inner: SqliteEventStore;
  beforeEach(() => {
    inner = new SqliteEventStore(':memory:');
  });
  afterEach(async () => {
    await inner.close();
  });

  it('is one store per stored log and catalogue, reading the stored events behind an upcasting store', () => {
    const kind = eventStoreOfKind(inner, REGISTRY);
    expect(eventStoreOfKind(inner, REGISTRY)).toBe(kind);
    expect(eventStoreOfKind(new UpcastingEventStore(inner, REGISTRY), REGISTRY)).toBe(kind);
    expect(eventStoreOfKind(inner, OTHER)).not.toBe(kind);
    expect(kind instanceof UpcastingEventStore && kind.inner).toBe(inner);
  });

  it("reads its kind's events upcast, and refuses another kind's", async () => {
    await inner.appendToStream('s-1', [{ id: 'old-1', type: 'Named', data: { label: 'abc' }, metadata: { schemaVersion: 1 } }]);
    await inner.appendToStream('o-1', [{ id: 'other-1', type: 'Other', data: {}, metadata: {} }]);
    expect((await eventStoreOfKind(inner, REGISTRY).readStream('s-1')).map((event) => event.data)).toEqual([{ label: 'ABC' }]);
    await expect(eventStoreOfKind(inner, REGISTRY).readStream('o-1')).rejects.toThrow(UnknownEventTypeError);
    expect((await eventStoreOfKind(inner, OTHER).readStream('o-1')).map((event) => event.type)).toEqual(['Other']);
  });
});
