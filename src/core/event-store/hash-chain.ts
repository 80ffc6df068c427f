import { createHash } from 'node:crypto';

/** The prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted and no insignificant whitespace; undefined members are dropped,
 * as JSON itself drops them, so an event hashes the same before and after a round trip.
 */
export function canonicalJson(value: unknown): string {
  if (typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
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

/**
 * Verifies many streams at once from events in log order (the global log, read once): per stream
 * it expects revisions 0, 1, 2… each linked to the previous hash, and keeps the first break.
 */
export class ChainVerifier {
  private readonly streams = new Map<string, { next: number; prevHash: string; events: number; broken?: ChainVerdict }>();

  add(event: ChainLink): void {
    const stream = this.streams.get(event.streamName) ?? { next: 0, prevHash: GENESIS_HASH, events: 0 };
    this.streams.set(event.streamName, stream);
    stream.events += 1;
    if (stream.broken) return;
    const broken = (brokenAt: number, reason: string) => { stream.broken = { valid: false, events: 0, brokenAt, reason }; };
    if (event.revision !== stream.next) return broken(stream.next, `revision ${stream.next} is missing (found ${event.revision} in its place)`);
    if (event.metadata['prevHash'] !== stream.prevHash) return broken(event.revision, `prevHash does not match the hash of revision ${event.revision - 1}`);
    const expected = eventHash(event, stream.prevHash);
    if (event.metadata['hash'] !== expected) return broken(event.revision, 'hash does not match the event: its type, data or metadata was altered');
    stream.next += 1;
    stream.prevHash = expected;
  }

  verdict(streamName: string): ChainVerdict {
    const stream = this.streams.get(streamName);
    if (!stream) return { valid: true, events: 0 };
    return stream.broken ? { ...stream.broken, events: stream.events } : { valid: true, events: stream.events };
  }

  get streamNames(): string[] {
    return [...this.streams.keys()];
  }
}

/** Walks one stream from revision 0 and names the first event that was altered, removed or reordered. */
export function verifyChain(events: readonly ChainLink[]): ChainVerdict {
  const verifier = new ChainVerifier();
  for (const event of events) verifier.add(event);
  return events.length === 0 ? { valid: true, events: 0 } : verifier.verdict(events[0]!.streamName);
}
