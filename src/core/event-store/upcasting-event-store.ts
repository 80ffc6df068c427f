import type {
  AppendResult, EventStore, ExpectedRevision, LiveSubscriptionStatus, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, Unsubscribe,
} from './event-store.port';

/** Upgrades one stored payload from `fromVersion` to `fromVersion + 1`. Pure. */
export type Upcaster = (data: any) => unknown;

/**
 * Upcasters by event type and the version they upgrade from. An event stored at version 1 of a
 * type whose current version is 3 passes through upcasters[type][1] then [2].
 */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

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
  return data === event.data ? event : { ...event, data };
}

/**
 * Schema evolution at the store boundary: appends are stamped with their type's current schema
 * version, and every read sees current payloads whatever version they were written at. The
 * stored bytes (and so their hashes) never change; audit verification reads the inner store.
 */
export class UpcastingEventStore implements EventStore {
  constructor(readonly inner: EventStore, private readonly registry: UpcasterRegistry) {}

  appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision?: ExpectedRevision): Promise<AppendResult> {
    const versioned = events.map((event) => ({
      ...event,
      metadata: { ...event.metadata, schemaVersion: currentSchemaVersion(this.registry, event.type) },
    }));
    return this.inner.appendToStream(streamName, versioned, expectedRevision);
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamName, options)).map((event) => upcast(this.registry, event));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map((event) => upcast(this.registry, event));
  }

  async findEventById(id: string): Promise<RecordedEvent | undefined> {
    const event = await this.inner.findEventById(id);
    return event && upcast(this.registry, event);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  countEventsAfter(position: number): Promise<number> {
    return this.inner.countEventsAfter(position);
  }

  onAppended(listener: (lastPosition: number) => void): Unsubscribe {
    return this.inner.onAppended(listener);
  }

  subscriptionStatus(): LiveSubscriptionStatus | undefined {
    return this.inner.subscriptionStatus?.();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
