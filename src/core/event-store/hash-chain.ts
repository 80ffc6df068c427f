import { createHash } from 'node:crypto';

/** The prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted and no insignificant whitespace; undefined members are dropped,
 * as JSON itself drops them, so an event hashes the same before and after a round trip.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

export interface ChainLink {
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  /** Metadata as stored, with or without `hash` (it is left out of the hash). */
  readonly metadata: Record<string, unknown>;
}

/** SHA-256 over the canonical event: stream, revision, type, data, metadata without `hash`, and prevHash. */
export function eventHash(link: ChainLink, prevHash: string): string {
  const { hash: _hash, ...metadata } = link.metadata;
  const canonical = canonicalJson({ stream: link.streamName, revision: link.revision, type: link.type, data: link.data, metadata, prevHash });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The metadata an event is stored with: its own, plus the link to the previous event and its hash. */
export function chainedMetadata(link: ChainLink, prevHash: string): Record<string, unknown> {
  const metadata = { ...link.metadata, prevHash };
  return { ...metadata, hash: eventHash({ ...link, metadata }, prevHash) };
}

export interface ChainVerdict {
  readonly valid: boolean;
  readonly events: number;
  /** The first revision at which the chain breaks. */
  readonly brokenAt?: number;
  readonly reason?: string;
}

/** Walks a stream from revision 0 and names the first event that was altered, removed or reordered. */
export function verifyChain(events: readonly ChainLink[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const broken = (reason: string): ChainVerdict => ({ valid: false, events: events.length, brokenAt: event.revision, reason });
    if (event.revision !== index) return { valid: false, events: events.length, brokenAt: index, reason: `revision ${index} is missing (found ${event.revision} in its place)` };
    if (event.metadata['prevHash'] !== prevHash) return broken(`prevHash does not match the hash of revision ${index - 1}`);
    const expected = eventHash(event, prevHash);
    if (event.metadata['hash'] !== expected) return broken('hash does not match the event: its type, data or metadata was altered');
    prevHash = expected;
  }
  return { valid: true, events: events.length };
}
