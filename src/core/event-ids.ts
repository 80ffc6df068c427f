import { v7 } from 'uuid';
import { uuidV5 } from './deterministic-id';

/**
 * A new event's id where nothing can ask for it again: time-ordered (RFC 9562 version 7), so that the log's event-id
 * index grows at one end instead of taking each new id at a random page of the whole index — on a log of 1,000,000
 * events appends ran at 0.41–0.56× a fresh log's speed with random ids, 0.72–1.05× with these (ADR 0010).
 */
export const freshEventId = (): string => v7();

/**
 * The ids of a command's events, by index. A command that may come again (an Idempotency-Key, an id from the payload)
 * names them after itself, so that a retry finds what the first attempt appended; a command whose id was made for this
 * request cannot come again, and its events take fresh ids, the same for an index on every attempt of this call.
 */
export function commandEventIds(streamName: string, commandId: string, canComeAgain: boolean): (index: number) => string {
  if (canComeAgain) return (index) => uuidV5(`${streamName}/${commandId}/${index}`);
  const minted: string[] = [];
  return (index) => (minted[index] ??= freshEventId());
}
