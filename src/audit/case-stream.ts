import type { DomainEvent } from '../core/decider';
import { NotFoundError } from '../core/errors';
import { BrokenChainError } from '../core/event-store/hash-chain';
import type { EventStore, ReadStreamOptions, RecordedEvent } from '../core/event-store/event-store.port';
import { complaintStreamName } from '../complaints/headless';

/** The case's events, or 404 when there is no such case. */
export async function readCaseStream<E extends DomainEvent>(
  store: EventStore<E>,
  caseId: string,
  options?: ReadStreamOptions,
): Promise<RecordedEvent<E>[]> {
  const events = await store.readStream(complaintStreamName(caseId), options);
  if (events.length === 0 && !(await caseExists(store, caseId))) throw new NotFoundError(`Case ${caseId} does not exist`);
  return events;
}

/**
 * A case's whole stream, as folding it needs it: revision 0 is its ComplaintReceived and no revision is missing. A stream
 * read otherwise (an event deleted, a stream truncated) is broken: BrokenChainError names it and where (503, never a 500).
 */
export function ensureWholeCaseStream(caseId: string, events: readonly RecordedEvent[]): void {
  const gap = events.findIndex((event, index) => event.revision !== index);
  if (gap >= 0) throw new BrokenChainError(complaintStreamName(caseId), gap, `revision ${gap} is missing`);
  if (events[0]?.type !== 'ComplaintReceived') {
    throw new BrokenChainError(complaintStreamName(caseId), 0, `the stream begins with ${events[0]?.type}, not ComplaintReceived`);
  }
}

export async function caseExists<E extends DomainEvent>(store: EventStore<E>, caseId: string): Promise<boolean> {
  return (await store.readStream(complaintStreamName(caseId), { maxCount: 1 })).length > 0;
}

/** An event as auditors see it: everything stored (including its stream, which the hash covers), nothing derived. */
export function auditRecord(event: RecordedEvent): RecordedEvent {
  return event;
}
