import type { DomainEvent } from '../core/decider';
import { NotFoundError } from '../core/errors';
import type { EventStore, ReadStreamOptions, RecordedEvent } from '../core/event-store/event-store.port';
import { complaintStreamName } from '../complaints/public';

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

export async function caseExists<E extends DomainEvent>(store: EventStore<E>, caseId: string): Promise<boolean> {
  return (await store.readStream(complaintStreamName(caseId), { maxCount: 1 })).length > 0;
}

/** An event as auditors see it: everything stored (including its stream, which the hash covers), nothing derived. */
export function auditRecord(event: RecordedEvent): RecordedEvent {
  return event;
}
