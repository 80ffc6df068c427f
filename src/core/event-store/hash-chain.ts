import { hash } from 'node:crypto';

/** The prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The version of the chain recipe new events are written under, in their metadata as `hashVersion`.
 * 1 (no `hashVersion`): the hash covers stream, revision, type, data, metadata and prevHash.
 * 2: the same, and the metadata carries `recordedAt`, the instant the store recorded the event, which must
 * equal the event's recording time as stored — so the hash covers the recording instant. Events keep
 * verifying under the version they were written with.
 */
export const HASH_VERSION = 2;

/**
 * JSON with object keys sorted and no insignificant whitespace; undefined members are dropped,
 * as JSON itself drops them, so an event hashes the same before and after a round trip.
 * Written as JSON.stringify of a copy whose keys are inserted in sorted order: for such a copy the engine's own writer
 * gives RFC 8785's text (its strings and numbers are JSON.stringify's) at about twice the speed of writing member by
 * member, and every append and every projected event hashes through here. A copy cannot hold integer-like keys in
 * insertion order (objects list them first, numerically) nor an own `__proto__`: objects with such keys are written
 * member by member.
 */
export function canonicalJson(value: unknown): string {
  const copy = canonicalCopy(value);
  return copy === NOT_COPYABLE ? writtenMemberByMember(value) : (JSON.stringify(copy) ?? 'null');
}

const NOT_COPYABLE = Symbol('notCopyable');

function canonicalCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? null : value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalCopy((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      const item = value[index] === undefined ? null : canonicalCopy(value[index]);
      if (item === NOT_COPYABLE) return NOT_COPYABLE;
      copy[index] = item;
    }
    return copy;
  }
  const record = value as Record<string, unknown>;
  const order = sortedKeys(record);
  if (!order.copyable) return NOT_COPYABLE;
  const copy: Record<string, unknown> = {};
  for (const key of order.keys) {
    const member = record[key];
    if (member === undefined) continue;
    const copied = canonicalCopy(member);
    if (copied === NOT_COPYABLE) return NOT_COPYABLE;
    copy[key] = copied;
  }
  return copy;
}

interface KeyOrder {
  readonly keys: readonly string[];
  /** No key a plain copy would reorder or treat specially (see canonicalJson). */
  readonly copyable: boolean;
}

/** The sorted keys of each shape of object met lately: events of one type share a few shapes, and sorting was a third of the work. */
const keyOrders = new Map<string, KeyOrder>();
const REMEMBERED_SHAPES = 2_000;

function sortedKeys(record: Record<string, unknown>): KeyOrder {
  const keys = Object.keys(record);
  const shape = keys.join('\u0000');
  const known = keyOrders.get(shape);
  // Keys holding the separator could make two shapes one: a remembered order counts only if it names exactly these keys.
  if (known && known.keys.length === keys.length && known.keys.every((key) => Object.hasOwn(record, key))) return known;
  const order = { keys: keys.sort(), copyable: !keys.some(reorderedInCopy) };
  if (keyOrders.size >= REMEMBERED_SHAPES) keyOrders.clear();
  keyOrders.set(shape, order);
  return order;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

function reorderedInCopy(key: string): boolean {
  return key === '__proto__' || (ARRAY_INDEX.test(key) && Number(key) < 2 ** 32 - 1);
}

/** The same text written member by member, for values holding an object a copy cannot keep in order. */
function writtenMemberByMember(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return writtenMemberByMember((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      const item: unknown = value[index];
      out += item === undefined ? 'null' : writtenMemberByMember(item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of sortedKeys(record).keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${writtenMemberByMember(member)}`;
    first = false;
  }
  return `${out}}`;
}

export interface ChainLink {
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  /** Metadata as stored, with or without `hash` (it is left out of the hash). */
  readonly metadata: Record<string, unknown>;
  /** When the store says it recorded the event; hash version 2 covers it (through `metadata.recordedAt`). */
  readonly recordedAt?: string;
}

/** Why a version-2 event's recording time is not the one its hash covers, if it is not. */
function recordingTimeBreak(link: ChainLink): string | undefined {
  if (Number(link.metadata['hashVersion'] ?? 1) < 2 || link.recordedAt === undefined) return undefined;
  return link.metadata['recordedAt'] === link.recordedAt
    ? undefined
    : `its recording time was changed: stored ${link.recordedAt}, its hash covers ${String(link.metadata['recordedAt'])}`;
}

/** SHA-256 over the canonical event: stream, revision, type, data, metadata without `hash`, and prevHash. */
export function eventHash(link: ChainLink, prevHash: string): string {
  const { hash: _hash, ...metadata } = link.metadata;
  const canonical = canonicalJson({
    stream: link.streamName,
    revision: link.revision,
    type: link.type,
    data: link.data,
    metadata,
    prevHash,
  });
  return sha256(canonical);
}

/**
 * The metadata an event is stored with: its own, plus the link to the previous event and its hash. `dataJson`, when the
 * caller has it, is `canonicalJson(link.data)`: hashed as it is rather than written again.
 */
export function chainedMetadata(link: ChainLink, prevHash: string, dataJson?: string): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...link.metadata, prevHash };
  if (dataJson === undefined || link.data === undefined) return { ...metadata, hash: eventHash({ ...link, metadata }, prevHash) };
  const { hash: _hash, ...hashed } = metadata;
  return { ...metadata, hash: sha256(canonicalEnvelope(link, prevHash, dataJson, canonicalJson(hashed))) };
}

export interface ChainVerdict {
  readonly valid: boolean;
  readonly events: number;
  /** The first revision at which the chain breaks. */
  readonly brokenAt?: number;
  readonly reason?: string;
}

/** A stream's last event as stored: its revision and recorded hash (what to compare with a later verification). */
export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

/**
 * Verifies many streams at once from events in log order (the global log, read once): per stream
 * it expects revisions 0, 1, 2… each linked to the previous hash, and keeps the first break.
 */
export class ChainVerifier {
  private readonly streams = new Map<
    string,
    { next: number; prevHash: string; events: number; broken?: ChainVerdict; head?: StreamHead }
  >();

  add(event: ChainLink): void {
    const stream = this.streams.get(event.streamName) ?? { next: 0, prevHash: GENESIS_HASH, events: 0 };
    this.streams.set(event.streamName, stream);
    stream.events += 1;
    stream.head = { revision: event.revision, hash: String(event.metadata['hash'] ?? '') };
    if (stream.broken) return;
    const broken = (brokenAt: number, reason: string) => {
      stream.broken = { valid: false, events: 0, brokenAt, reason };
    };
    if (event.revision !== stream.next)
      return broken(stream.next, `revision ${stream.next} is missing (found ${event.revision} in its place)`);
    if (event.metadata['prevHash'] !== stream.prevHash)
      return broken(event.revision, `prevHash does not match the hash of revision ${event.revision - 1}`);
    if (!hashesTo(event, event.data, stream.prevHash))
      return broken(event.revision, 'hash does not match the event: its type, data or metadata was altered');
    const recordingTime = recordingTimeBreak(event);
    if (recordingTime) return broken(event.revision, recordingTime);
    stream.next += 1;
    stream.prevHash = String(event.metadata['hash']);
  }

  verdict(streamName: string): ChainVerdict {
    const stream = this.streams.get(streamName);
    if (!stream) return { valid: true, events: 0 };
    return stream.broken ? { ...stream.broken, events: stream.events } : { valid: true, events: stream.events };
  }

  /** The last event seen of the stream, valid or not. */
  head(streamName: string): StreamHead | undefined {
    return this.streams.get(streamName)?.head;
  }

  get streamNames(): string[] {
    return [...this.streams.keys()];
  }
}

/** Walks one stream from revision 0 and names the first event that was altered, removed or reordered. */
export function verifyChain(events: readonly ChainLink[]): ChainVerdict {
  const verifier = new ChainVerifier();
  for (const event of events) verifier.add(event);
  return events.length === 0 ? { valid: true, events: 0 } : verifier.verdict(events[0].streamName);
}

/** The stream's last event as stored (undefined for an empty stream). */
export function streamHead(events: readonly ChainLink[]): StreamHead | undefined {
  const last = events[events.length - 1];
  return last && { revision: last.revision, hash: String(last.metadata['hash'] ?? '') };
}

/**
 * Where a read that changed an event's data on its way out (upcasting) keeps the data as stored, so the
 * chain can still be checked on what was read. Not enumerable: copies, JSON and comparisons never see it.
 */
export const STORED_DATA = Symbol('storedData');

/** The event's data as stored (before any upcasting). */
export function storedDataOf(event: { readonly data: unknown }): unknown {
  return Object.prototype.hasOwnProperty.call(event, STORED_DATA) ? (event as { [STORED_DATA]?: unknown })[STORED_DATA] : event.data;
}

/** `copy` of `original` with other data, remembering the data as stored (and its stored text, when the read kept it). */
export function withStoredData<T extends { readonly data: unknown }>(copy: T, original: { readonly data: unknown }): T {
  const mark = storedDataTextOf(original);
  if (mark) markText(copy, mark);
  return Object.defineProperty(copy, STORED_DATA, { value: storedDataOf(original), enumerable: false });
}

/**
 * Where a read keeps the event's data exactly as the store holds it, its JSON text, with the data parsed from it, so that
 * checking the event can hash those bytes instead of re-canonicalising the parsed data. Not enumerable, like STORED_DATA:
 * a copy of the event does not carry it, and data other than the very object parsed from the text is checked the long way.
 */
const STORED_DATA_TEXT = Symbol('storedDataText');

interface StoredDataText {
  readonly text: string;
  readonly parsed: unknown;
}

/** Marks `event`, just read, with the text its data was parsed from. */
export function withStoredDataText<T extends { readonly data: unknown }>(event: T, text: string): T {
  return markText(event, { text, parsed: event.data });
}

function markText<T extends object>(event: T, mark: StoredDataText): T {
  return Object.defineProperty(event, STORED_DATA_TEXT, { value: mark, enumerable: false });
}

function storedDataTextOf(event: object): StoredDataText | undefined {
  return (event as { [STORED_DATA_TEXT]?: StoredDataText })[STORED_DATA_TEXT];
}

/** The text eventHash hashes, with the data and the metadata (without `hash`) already written as canonical JSON. */
function canonicalEnvelope(link: ChainLink, prevHash: string, dataJson: string, metadataJson: string): string {
  return `{"data":${dataJson},"metadata":${metadataJson},"prevHash":${JSON.stringify(prevHash)},"revision":${canonicalJson(link.revision)},"stream":${JSON.stringify(link.streamName)},"type":${JSON.stringify(link.type)}}`;
}

/**
 * Whether the event, with `data` (what it holds as stored), hashes to its recorded hash after `prevHash`.
 * The store writes data as canonical JSON, so for data read with its stored text, that text is hashed as it is: if
 * it hashes to the recorded hash, it is the very text that was hashed when the event was appended (SHA-256), so the data
 * parsed from it is the data appended. Otherwise (text written before the store wrote canonical JSON, or altered) the
 * data is re-canonicalised and hashed as always, so the verdict is the same either way; only the cost differs.
 */
function hashesTo(link: ChainLink, data: unknown, prevHash: string): boolean {
  const recorded = link.metadata['hash'];
  if (data === undefined) return eventHash({ ...link, data }, prevHash) === recorded;
  const { hash: _hash, ...metadata } = link.metadata;
  const metadataJson = canonicalJson(metadata);
  const stored = storedDataTextOf(link);
  if (
    stored &&
    data === stored.parsed &&
    keysInOrder(data) &&
    sha256(canonicalEnvelope(link, prevHash, stored.text, metadataJson)) === recorded
  )
    return true;
  return sha256(canonicalEnvelope(link, prevHash, canonicalJson(data), metadataJson)) === recorded;
}

/** Whether an object's own keys come in canonical order (text written before the store wrote canonical JSON mostly does not: no use hashing it as it is). */
function keysInOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return true;
  const keys = Object.keys(value);
  for (let index = 1; index < keys.length; index++) if (keys[index - 1] > keys[index]) return false;
  return true;
}

function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** A stream whose last event does not hash to its recorded hash, or does not link to its predecessor: nothing may be appended to it. */
export class BrokenChainError extends Error {
  constructor(
    readonly streamName: string,
    readonly revision: number,
    readonly reason: string,
  ) {
    super(
      `The hash chain of ${streamName} is broken at revision ${revision}: ${reason}. Nothing was appended; the stream needs an operator.`,
    );
    this.name = 'BrokenChainError';
  }
}

/**
 * Checks the end of a stream as read (in revision order, from `fromRevision`): the last event hashes to its
 * recorded hash and links to its predecessor. Returns the break, or undefined when the head is sound (or the stream empty).
 */
export function headBreak(events: readonly ChainLink[], fromRevision = 0): { revision: number; reason: string } | undefined {
  const last = events[events.length - 1];
  if (!last) return undefined;
  const previous = events[events.length - 2];
  if (last.revision !== fromRevision + events.length - 1)
    return {
      revision: last.revision,
      reason: `the stream has ${fromRevision + events.length} events but ends at revision ${last.revision}`,
    };
  // Read from a later revision, a lone event's link was checked when its predecessor was last read.
  const expectedPrev = previous ? previous.metadata['hash'] : fromRevision > 0 ? last.metadata['prevHash'] : GENESIS_HASH;
  if (last.metadata['prevHash'] !== expectedPrev)
    return { revision: last.revision, reason: 'it does not link to the hash of its predecessor' };
  if (!hashesTo(last, storedDataOf(last), String(last.metadata['prevHash'])))
    return { revision: last.revision, reason: 'it does not hash to its recorded hash' };
  const recordingTime = recordingTimeBreak(last);
  if (recordingTime) return { revision: last.revision, reason: recordingTime };
  return undefined;
}

/** Why this one event is not as its hash says (its content or its recording time changed), ignoring its links; undefined when it is. */
export function eventBreak(event: ChainLink): string | undefined {
  if (typeof event.metadata['hash'] !== 'string') return undefined;
  if (!hashesTo(event, storedDataOf(event), String(event.metadata['prevHash'] ?? '')))
    return 'it does not hash to its recorded hash: the stored event was altered';
  return recordingTimeBreak(event);
}
