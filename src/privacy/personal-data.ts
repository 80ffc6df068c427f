import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import type { DomainEvent } from '../core/decider';
import type { EventStore, NewEvent, RecordedEvent } from '../core/event-store/event-store.port';
import type { PersonalFieldRegistry } from '../kernel/personal-data';
import { keyStorePath, PersonalDataKeys } from './key-store';
import { resolveMasterKey } from './master-key';
import { ERASED, fieldOf, isSealed, openValue, parseSealed, sealValue, SealedValueError, UNREADABLE } from './sealed-value';
import { SealingEventStore } from './sealing-event-store';

const logger = new Logger('Privacy');

/** Reads a stream's first event as stored: who a stream's personal data belongs to when the key store does not say. */
export type FirstEventOf = (streamName: string) => Promise<RecordedEvent | undefined>;

/**
 * Crypto-shredding of customers' personal data: the fields the modules name (the registry) are sealed with
 * their customer's data key when events are appended, and opened (or shown as erased) where they are read.
 * One per process: the service's composition (app.module.ts) and the CLI make theirs.
 */
export class PersonalDataProtection {
  private masterKeyMadeLogged = false;

  private constructor(
    readonly keys: PersonalDataKeys,
    readonly registry: PersonalFieldRegistry,
    /** Where the master key was made by this process, if it was (never the key). */
    private readonly masterKeyMadeIn: () => string | undefined,
  ) {}

  /**
   * With the configuration's master key (made in DATA_DIR/master-key outside production on first start) and the
   * key store under DATA_DIR, opened when first needed. The service resolves the master key at once, so a
   * misconfiguration stops it starting; `lazy` (the CLI) resolves it only if a personal field is ever met.
   */
  static open(
    config: Pick<AppConfig, 'dataDir' | 'privacy'>,
    registry: PersonalFieldRegistry,
    { lazy = false } = {},
  ): PersonalDataProtection {
    const made: { in?: string; by?: PersonalDataProtection } = {};
    const masterKey = () => {
      const master = resolveMasterKey(config);
      if (master.source === 'generated') made.in = master.file;
      made.by?.logMasterKeyMade(); // resolved lazily, long after start: say it now
      return master.key;
    };
    made.by = new PersonalDataProtection(
      new PersonalDataKeys(keyStorePath(config), lazy ? masterKey : masterKey()),
      registry,
      () => made.in,
    );
    return made.by;
  }

  /** Says once, when the application's logger is set up, where a master key was made: it must be backed up. */
  logMasterKeyMade(): void {
    const file = this.masterKeyMadeIn();
    if (file === undefined || this.masterKeyMadeLogged) return;
    this.masterKeyMadeLogged = true;
    logger.log(
      `Made a master key for personal data in ${file} (mode 0600): back it up with the data, or set MASTER_KEY; without it no personal data can be read`,
    );
  }

  /** Wraps the raw event store: appends seal the personal fields, reads pass the stored bytes through. */
  sealing(raw: EventStore): EventStore {
    return new SealingEventStore(raw, this);
  }

  /** Opens sealed values; one per response (or per event on a long-lived stream), so an erasure shows at once. */
  opener(): PersonalDataOpener {
    return new PersonalDataOpener(this.keys);
  }

  /**
   * The events with every personal field sealed with the key of the customer they belong to (the live key,
   * made when the customer has none). Any other string shaped like a sealed value is sealed too, so a value
   * copied from elsewhere can never be opened as another customer's data. Says whose key sealed them, and
   * whether the events themselves named the customer (then the stream is worth remembering once appended).
   */
  async seal<E extends DomainEvent>(
    streamName: string,
    events: readonly NewEvent<E>[],
    firstEventOf: FirstEventOf,
  ): Promise<SealedEvents<E>> {
    let customer: { customerId: string; keyGeneration: number; key: Buffer; named: boolean } | undefined;
    const sealed: NewEvent<E>[] = [];
    for (const event of events) {
      const paths = this.pathsToSeal(event);
      if (paths.length === 0) {
        sealed.push(event);
        continue;
      }
      if (!customer) {
        const own = customerIdIn(event.data);
        const customerId = own ?? (await this.customerOfStream(streamName, event, firstEventOf));
        const { keyGeneration, key } = this.keys.liveKey(customerId, { create: true });
        customer = { customerId, keyGeneration, key, named: own !== undefined };
      }
      let data = event.data;
      for (const path of paths) {
        const { customerId, keyGeneration, key } = customer;
        data = updateAt(data, path, (value) =>
          sealValue(value, key, { customerId, keyGeneration, streamName, field: fieldOf(event.type, path.join('.')) }),
        );
      }
      sealed.push({ ...event, data });
    }
    return { events: sealed, customerId: customer?.customerId, named: customer?.named ?? false };
  }

  /** After a stream's events that named their customer were appended: remembers whose personal data it carries. */
  rememberStreamCustomer(streamName: string, customerId: string): void {
    if (this.keys.customerOfStream(streamName) === undefined) this.keys.rememberStream(streamName, customerId);
  }

  close(): void {
    this.keys.close();
  }

  private pathsToSeal(event: DomainEvent): string[][] {
    const named = this.registeredPaths(event.type).filter((path) => typeof valueAt(event.data, path) === 'string');
    const lookalikes = sealedPaths(event.data).filter((path) => !named.some((other) => other.join('.') === path.join('.')));
    return [...named, ...lookalikes];
  }

  private readonly splitPaths = new Map<string, readonly string[][]>();

  /** The registry's paths of an event type, split into keys (once per type: every sealed append asks). */
  private registeredPaths(type: string): readonly string[][] {
    let paths = this.splitPaths.get(type);
    if (!paths) this.splitPaths.set(type, (paths = (this.registry[type] ?? []).map((path) => path.split('.'))));
    return paths;
  }

  /** The stream's customer as recorded, else its first event's (read once, then recorded). */
  private async customerOfStream(streamName: string, event: DomainEvent, firstEventOf: FirstEventOf): Promise<string> {
    const recorded = this.keys.customerOfStream(streamName);
    if (recorded !== undefined) return recorded;
    const first = await firstEventOf(streamName);
    const customerId = first && customerIdIn(first.data);
    if (customerId === undefined)
      throw new Error(`${event.type} on ${streamName} carries personal data, but no event of the stream says whose`);
    this.keys.rememberStream(streamName, customerId);
    return customerId;
  }
}

export interface SealedEvents<E extends DomainEvent> {
  readonly events: NewEvent<E>[];
  /** The customer whose key sealed them; undefined when nothing needed sealing. */
  readonly customerId?: string;
  /** Whether the events named that customer themselves (rather than the stream's first event). */
  readonly named: boolean;
}

/** A recorded event as readers show it: personal fields opened, and `sealed` holding each one's stored form by path. */
export type OpenedEventRecord<T> = T & { readonly sealed?: Readonly<Record<string, string>> };

const opened = new WeakSet<object>();

/**
 * Opens sealed values with the keys as they are now: the plaintext while the customer's key lives, `[erased]`
 * once it was destroyed, `[unreadable]` for a value that was altered, moved, or sealed with a key this store does
 * not hold. Keys are cached for the opener's life only.
 */
export class PersonalDataOpener {
  private readonly cache = new Map<string, ReturnType<PersonalDataKeys['lookup']>>();

  constructor(private readonly keys: PersonalDataKeys) {}

  /**
   * One value: a sealed one opened, any other returned as it is. `where` is where the reader found it (when it
   * knows): a value sealed for another stream or field is refused.
   */
  openValue(value: string, where: { streamName?: string; field?: string } = {}): string {
    const sealed = parseSealed(value);
    if (!sealed) return value;
    if (
      (where.streamName !== undefined && where.streamName !== sealed.streamName) ||
      (where.field !== undefined && where.field !== sealed.field)
    ) {
      logger.warn(
        `A sealed value of ${sealed.field} on ${sealed.streamName} was found at ${where.field ?? sealed.field} on ${where.streamName ?? sealed.streamName}: not opened`,
      );
      return UNREADABLE;
    }
    const found = this.lookup(sealed.customerId, sealed.keyGeneration);
    if (found.state === 'erased') return ERASED;
    if (found.state === 'unknown') return UNREADABLE;
    try {
      return openValue(sealed, found.key);
    } catch (error) {
      if (!(error instanceof SealedValueError)) throw error;
      logger.warn(error.message);
      return UNREADABLE;
    }
  }

  /**
   * Every sealed string in a JSON-like value, opened; what holds none is returned as it is (same reference).
   * Recorded events met on the way (`data` and a hash-chained `metadata`) are opened as event records.
   */
  openDeep<T>(value: T): T {
    return this.walk(value) as T;
  }

  /**
   * A recorded event with its data opened and `sealed` added: the stored form of each personal field by path,
   * so anyone can put them back and recompute the event's hash (the chain covers what is stored).
   */
  openEventRecord<T extends { readonly type: string; readonly data: unknown; readonly streamName?: string }>(
    record: T,
  ): OpenedEventRecord<T> {
    const paths = sealedPaths(record.data);
    if (paths.length === 0) return mark(record);
    const sealed: Record<string, string> = {};
    let data = record.data;
    for (const path of paths) {
      const key = path.join('.');
      data = updateAt(data, path, (value) => {
        sealed[key] = value;
        return this.openValue(value, { streamName: record.streamName, field: fieldOf(record.type, key) });
      });
    }
    return mark({ ...record, data, sealed });
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return isSealed(value) ? this.openValue(value) : value;
    if (value === null || typeof value !== 'object' || opened.has(value)) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, index) => {
        const next = this.walk(item);
        if (next !== item) (copy ??= [...value])[index] = next;
      });
      return copy ?? value;
    }
    if (!isPlainObject(value)) return value;
    if (isEventRecord(value)) return this.openEventRecord(value);
    let copy: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const next = this.walk(item);
      if (next !== item) (copy ??= { ...value })[key] = next;
    }
    return copy ?? value;
  }

  private lookup(customerId: string, keyGeneration: number): ReturnType<PersonalDataKeys['lookup']> {
    const id = JSON.stringify([customerId, keyGeneration]);
    let found = this.cache.get(id);
    if (!found) this.cache.set(id, (found = this.keys.lookup(customerId, keyGeneration)));
    return found;
  }
}

function mark<T extends object>(record: T): T {
  opened.add(record);
  return record;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** An event as stored or read: a type, its data, and metadata carrying its place in the hash chain. */
function isEventRecord(value: Record<string, unknown>): value is { type: string; data: unknown; streamName?: string } {
  const metadata = value['metadata'];
  return (
    typeof value['type'] === 'string' &&
    'data' in value &&
    metadata !== null &&
    typeof metadata === 'object' &&
    typeof (metadata as Record<string, unknown>)['hash'] === 'string'
  );
}

function customerIdIn(data: unknown): string | undefined {
  const customerId = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['customerId'] : undefined;
  return typeof customerId === 'string' && customerId !== '' ? customerId : undefined;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let at = data;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A copy of `data` with the string at `path` replaced; the rest shared. */
function updateAt(data: unknown, path: readonly string[], update: (value: string) => string): unknown {
  if (path.length === 0) return typeof data === 'string' ? update(data) : data;
  if (data === null || typeof data !== 'object') return data;
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(data, head)) return data;
  const child = (data as Record<string, unknown>)[head];
  const next = updateAt(child, rest, update);
  if (next === child) return data;
  if (Array.isArray(data)) return data.map((item, index) => (String(index) === head ? next : item));
  return { ...data, [head]: next };
}

/** The paths of every sealed-looking string in a JSON-like value. */
function sealedPaths(value: unknown): string[][] {
  const found: string[][] = [];
  collectSealedPaths(value, [], found);
  return found;
}

/** Walks `value` with one path that grows and shrinks (every append and every answer walks its data): copied only where found. */
function collectSealedPaths(value: unknown, path: string[], found: string[][]): void {
  if (typeof value === 'string') {
    if (isSealed(value)) found.push([...path]);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    path.push(key);
    collectSealedPaths((value as Record<string, unknown>)[key], path, found);
    path.pop();
  }
}
