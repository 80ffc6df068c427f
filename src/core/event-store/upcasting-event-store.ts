import type { DomainEvent } from '../decider';
import type { EventCatalogue, UpcasterRegistry } from '../event-catalogue';
import { withStoredData } from './hash-chain';

export type { EventCatalogue, Upcaster, UpcasterChain, UpcasterRegistry } from '../event-catalogue';
import { EventStoreDecorator } from './event-store-decorator';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from './event-store.port';

/** The schema version new events of `type` are written at: one past the last upcaster. */
export function currentSchemaVersion(registry: UpcasterRegistry, type: string): number {
  const versions = Object.keys(registry[type] ?? {}).map(Number);
  return versions.length === 0 ? 1 : Math.max(...versions) + 1;
}

export function upcast(registry: UpcasterRegistry, event: RecordedEvent): RecordedEvent {
  const steps = registry[event.type];
  if (!steps) return event;
  let version = Number(event.metadata['schemaVersion'] ?? 1);
  let data = event.data;
  for (let step = steps[version]; step; step = steps[version]) {
    data = step(data);
    version += 1;
  }
  return data === event.data ? event : withStoredData({ ...event, data }, event);
}

/** A stored event this store cannot read. */
export abstract class StoredEventError extends Error {
  /** The message without the event's position, for a caller that names the position already. */
  readonly withoutPosition: string;

  protected constructor(
    readonly event: RecordedEvent,
    what: string,
  ) {
    super(`${event.streamName} revision ${event.revision} (position ${event.position}) ${what}`);
    this.withoutPosition = `${event.streamName} revision ${event.revision} ${what}`;
  }
}

/** A stored event of a type the reading store's catalogue does not have: another stream kind's, or one this version does not know. */
export class UnknownEventTypeError extends StoredEventError {
  constructor(event: RecordedEvent) {
    super(event, `holds an event of type ${event.type}, which this store does not know`);
    this.name = 'UnknownEventTypeError';
  }
}

/** A stored event an upcaster failed on: its data is not what its schema version says, so it cannot be read as today's. */
export class UnreadableEventError extends StoredEventError {
  constructor(
    event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(event, `holds a ${event.type} that cannot be read at today's schema: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'UnreadableEventError';
  }
}

function isCatalogued<E extends DomainEvent>(catalogue: EventCatalogue<E>, event: RecordedEvent): event is RecordedEvent<E> {
  return Object.hasOwn(catalogue, event.type);
}

/** A stored event as one of the catalogue's, at today's schema version: where stored events become typed, once. */
function readAs<E extends DomainEvent>(catalogue: EventCatalogue<E>, stored: RecordedEvent): RecordedEvent<E> {
  let event: RecordedEvent;
  try {
    event = upcast(catalogue, stored);
  } catch (error) {
    throw new UnreadableEventError(stored, error);
  }
  if (!isCatalogued(catalogue, event)) throw new UnknownEventTypeError(stored);
  return event;
}

/**
 * Schema evolution and typing at the store boundary: appends are stamped with their type's current
 * schema version, and every read sees current payloads, typed by the catalogue, whatever version they
 * were written at. The stored bytes (and so their hashes) never change; audit verification reads the
 * inner store.
 */
export class UpcastingEventStore<E extends DomainEvent = DomainEvent> extends EventStoreDecorator<E> {
  constructor(
    inner: EventStore,
    readonly catalogue: EventCatalogue<E>,
  ) {
    super(inner);
  }

  async appendToStream(streamName: string, events: readonly NewEvent<E>[], expectedRevision?: ExpectedRevision): Promise<AppendResult<E>> {
    const versioned = events.map((event) => ({
      ...event,
      metadata: { ...event.metadata, schemaVersion: currentSchemaVersion(this.catalogue, event.type) },
    }));
    const { recorded, ...result } = await this.inner.appendToStream(streamName, versioned, expectedRevision);
    // As a read would see them; an event the catalogue does not know is left for a read to refuse.
    const typed = recorded?.map((event) => upcast(this.catalogue, event));
    return typed?.every((event) => isCatalogued(this.catalogue, event)) ? { ...result, recorded: typed } : result;
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent<E>[]> {
    return (await this.inner.readStream(streamName, options)).map((event) => readAs(this.catalogue, event));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent<E>[]> {
    return (await this.inner.readAll(options)).map((event) => readAs(this.catalogue, event));
  }

  appendedAfter(after: number, maxCount: number): RecordedEvent<E>[] | undefined {
    return this.inner.appendedAfter?.(after, maxCount)?.map((event) => readAs(this.catalogue, event));
  }

  async findEventById(id: string): Promise<RecordedEvent<E> | undefined> {
    const event = await this.inner.findEventById(id);
    return event && readAs(this.catalogue, event);
  }
}

const kindStores = new WeakMap<EventStore, Map<object, EventStore>>();

/**
 * The stored events read through one kind's catalogue, typed as that kind's events: what the kind's
 * command path folds and its readers show. An event of another kind is refused, so a stream of another
 * kind cannot be read as this one. Given an upcasting store, it reads that store's stored events (upcasting
 * twice would apply an upcaster to a payload it already upgraded). One store per stored log and kind, so
 * that commands on a stream take turns (command-handling.ts).
 */
export function eventStoreOfKind<K extends DomainEvent>(store: EventStore, catalogue: EventCatalogue<K>): EventStore<K> {
  const stored = store instanceof UpcastingEventStore ? store.inner : store;
  let byKind = kindStores.get(stored);
  if (!byKind) kindStores.set(stored, (byKind = new Map()));
  const known = byKind.get(catalogue);
  if (known && readsWith(known, catalogue)) return known;
  const created = new UpcastingEventStore(stored, catalogue);
  byKind.set(catalogue, created);
  return created;
}

function readsWith<K extends DomainEvent>(store: EventStore, catalogue: EventCatalogue<K>): store is UpcastingEventStore<K> {
  return store instanceof UpcastingEventStore && store.catalogue === catalogue;
}
