import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../core/event-store/event-store.port';
import { EventStoreDecorator } from '../core/event-store/event-store-decorator';
import type { PersonalDataProtection } from './personal-data';

/**
 * The write edge of crypto-shredding, around the raw store: appends seal every personal field first, so the
 * store hashes and keeps ciphertext only; reads pass the stored bytes through unopened (projections and the
 * command path see sealed strings, audit verification the bytes the hashes cover).
 */
export class SealingEventStore extends EventStoreDecorator {
  constructor(
    inner: EventStore,
    private readonly protection: PersonalDataProtection,
  ) {
    super(inner);
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision?: ExpectedRevision): Promise<AppendResult> {
    const sealed = await this.protection.seal(
      streamName,
      events,
      async (stream) => (await this.inner.readStream(stream, { maxCount: 1 }))[0],
    );
    const result = await this.inner.appendToStream(streamName, sealed.events, expectedRevision);
    if (!result.duplicate && sealed.named && sealed.customerId !== undefined)
      this.protection.rememberStreamCustomer(streamName, sealed.customerId);
    return result;
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamName, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  appendedAfter(after: number, maxCount: number): RecordedEvent[] | undefined {
    return this.inner.appendedAfter?.(after, maxCount);
  }

  findEventById(id: string): Promise<RecordedEvent | undefined> {
    return this.inner.findEventById(id);
  }
}
