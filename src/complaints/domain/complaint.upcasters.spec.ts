import { handleCommand } from '../../core/command-handling';
import { fold } from '../../core/decider';
import type { RecordedEvent } from '../../core/event-store/event-store.port';
import { verifyChain } from '../../core/event-store/hash-chain';
import { SqliteEventStore } from '../../core/event-store/sqlite-event-store';
import { UpcastingEventStore, currentSchemaVersion, eventStoreOfKind, upcast } from '../../core/event-store/upcasting-event-store';
import { EVENT_UPCASTERS, RedressEvent } from '../../event-schemas';
import type { CaseView } from '../projections/case-view/case-view';
import { evolveCaseView } from '../projections/case-view/case-view.evolve';
import { complaintDecider, complaintStreamName, type ComplaintCommand } from './complaint.decider';
import { CUSTOMER, after, command } from './complaint.test-fixtures';
import { COMPLAINT_UPCASTERS } from './complaint.upcasters';

const CHANNEL_TYPES = ['ComplaintReceived', 'ComplaintAcknowledged', 'CustomerContactLogged', 'ApologyIssued', 'ExplanationGiven'] as const;

function stored(type: string, data: Record<string, unknown>, schemaVersion?: number): RecordedEvent {
  return {
    id: `id-${type}`,
    streamName: 'complaint-c',
    type,
    data,
    revision: 0,
    position: 1,
    recordedAt: '2025-03-03T09:00:00.000Z',
    metadata: schemaVersion === undefined ? {} : { schemaVersion },
  };
}

describe('complaint schema versions', () => {
  it('writes ComplaintReceived at version 3, the other channel-bearing events at version 2 and every other complaint event at version 1', () => {
    expect(currentSchemaVersion(COMPLAINT_UPCASTERS, 'ComplaintReceived')).toBe(3);
    for (const type of CHANNEL_TYPES.filter((type) => type !== 'ComplaintReceived'))
      expect({ type, version: currentSchemaVersion(COMPLAINT_UPCASTERS, type) }).toEqual({ type, version: 2 });
    for (const type of ['CaseAssigned', 'ComplaintAssessed', 'GoodwillApproved', 'CaseClosed']) {
      expect({ type, version: currentSchemaVersion(COMPLAINT_UPCASTERS, type) }).toEqual({ type, version: 1 });
    }
  });

  it('are part of the registry the service and the CLI read with', () => {
    for (const type of CHANNEL_TYPES) expect(EVENT_UPCASTERS[type]).toBe(COMPLAINT_UPCASTERS[type]);
  });

  it('reads the v1 channel `webform` as `web`, in every channel-bearing event, changing nothing else', () => {
    const at = '2025-03-03T09:00:00.000Z';
    for (const type of CHANNEL_TYPES) {
      const receipt = type === 'ComplaintReceived' ? { regime: 'default', receivedAt: at, deadlines: [] } : {};
      const v1 = stored(type, { channel: 'webform', message: 'hello', at, ...receipt }, 1);
      expect({ type, data: upcast(COMPLAINT_UPCASTERS, v1).data }).toEqual({
        type,
        data: { channel: 'web', message: 'hello', at, ...receipt },
      });
      expect(v1.data).toEqual({ channel: 'webform', message: 'hello', at, ...receipt });
    }
    // No schema version stamped: the oldest events, read as v1.
    const oldest = stored('ComplaintReceived', { channel: 'webform', regime: 'default', receivedAt: at });
    expect(upcast(COMPLAINT_UPCASTERS, oldest).data).toMatchObject({ channel: 'web' });
  });

  it('reads a receipt recorded before deadlines were recorded with the dates its policy of the time gave it', () => {
    // Christmas Eve 2025 under the first FCA policy (Monday to Friday in UTC, no holidays): acknowledgement due on Christmas Day.
    const v2 = stored('ComplaintReceived', { channel: 'web', regime: 'FCA', receivedAt: '2025-12-24T10:00:00.000Z' }, 2);
    expect((upcast(COMPLAINT_UPCASTERS, v2).data as { deadlines: unknown }).deadlines).toEqual([
      { kind: 'acknowledgement', dueAt: '2025-12-25T23:59:59.999Z', policyVersion: 'FCA@2026-01' },
      { kind: 'final-response', dueAt: '2026-02-18T10:00:00.000Z', policyVersion: 'FCA@2026-01' },
    ]);
    // …and its summary-resolution window as counted then: Thursday, Friday, Monday.
    expect((upcast(COMPLAINT_UPCASTERS, v2).data as { summaryResolutionEndsAt: unknown }).summaryResolutionEndsAt).toBe(
      '2025-12-29T23:59:59.999Z',
    );
    expect(v2.data).not.toHaveProperty('deadlines');
  });

  it('leaves other v1 channels, v2 events and events without a channel as they are', () => {
    const email = stored('ApologyIssued', { channel: 'email', message: 'Sorry' }, 1);
    expect(upcast(COMPLAINT_UPCASTERS, email)).toBe(email);
    const v3 = stored('ComplaintReceived', { channel: 'web', deadlines: [] }, 3);
    expect(upcast(COMPLAINT_UPCASTERS, v3)).toBe(v3);
    const assessed = stored('ComplaintAssessed', { category: 'webform' }, 1);
    expect(upcast(COMPLAINT_UPCASTERS, assessed)).toBe(assessed);
    const noChannel = stored('ComplaintAcknowledged', { message: 'Thanks' }, 1);
    expect(upcast(COMPLAINT_UPCASTERS, noChannel).data).toEqual({ message: 'Thanks' });
  });
});

describe('an old (v1, `webform`) case and its v2 equivalent', () => {
  const CASE_ID = 'case-evolution';
  const STREAM = complaintStreamName(CASE_ID);
  const T = (minutes: number) => after({ minutes });
  const history: ComplaintCommand[] = [
    command(
      'ReceiveComplaint',
      { caseId: CASE_ID, customerId: 'cust-1', channel: 'web', summary: 'Form lost my order', regime: 'default', receivedAt: T(0) },
      { at: T(0) },
    ),
    command('AcknowledgeComplaint', { channel: 'web', message: 'Got it' }, { at: T(5) }),
    command('LogCustomerContact', { direction: 'inbound', channel: 'web', summary: 'Customer wrote again' }, { by: CUSTOMER, at: T(10) }),
    command(
      'AssessComplaint',
      { category: 'web-shop', severity: 'medium', justified: 'partly', rootCause: 'one-off', findings: 'Form timed out' },
      { at: T(20) },
    ),
    command('IssueApology', { channel: 'web', message: 'Sorry about the form' }, { at: T(30) }),
    command('ExplainDecision', { channel: 'web', message: 'Only part of it was our fault' }, { at: T(40) }),
    command('LogCustomerContact', { direction: 'outbound', channel: 'email', summary: 'Sent the details by email' }, { at: T(50) }),
  ];

  let v1Raw: SqliteEventStore;
  let v2Raw: SqliteEventStore;
  let v1: UpcastingEventStore<RedressEvent>;
  let v2: UpcastingEventStore<RedressEvent>;

  beforeAll(async () => {
    v2Raw = new SqliteEventStore(':memory:');
    v2 = new UpcastingEventStore(v2Raw, EVENT_UPCASTERS);
    const decider = complaintDecider();
    for (const [index, next] of history.entries()) {
      await handleCommand(eventStoreOfKind(v2, COMPLAINT_UPCASTERS), decider, STREAM, next, {
        commandId: `cmd-${index}`,
        correlationId: `cmd-${index}`,
        causationId: `cmd-${index}`,
        actor: next.by,
        occurredAt: next.at,
      });
    }
    // The same case as an older Redress wrote it: channel `webform`, schema version 1, hashed by the real store on append,
    // bypassing the upcasting store.
    v1Raw = new SqliteEventStore(':memory:');
    v1 = new UpcastingEventStore(v1Raw, EVENT_UPCASTERS);
    for (const event of await v2Raw.readStream(STREAM)) {
      const { hash: _hash, prevHash: _prevHash, ...metadata } = event.metadata;
      const data = event.data as Record<string, unknown>;
      await v1Raw.appendToStream(
        STREAM,
        [
          {
            id: event.id,
            type: event.type,
            data: data['channel'] === 'web' ? { ...data, channel: 'webform' } : data,
            metadata: { ...metadata, schemaVersion: 1 },
          },
        ],
        event.revision === 0 ? 'no_stream' : event.revision - 1,
      );
    }
  });
  afterAll(async () => {
    await v1.close();
    await v2.close();
  });

  it('stores different bytes: v1 says webform at schema version 1, v2 says web at version 2 where the channel is versioned', async () => {
    const oldEvents = await v1Raw.readStream(STREAM);
    const newEvents = await v2Raw.readStream(STREAM);
    expect(oldEvents.map((event) => (event.data as { channel?: string }).channel)).toEqual([
      'webform',
      'webform',
      'webform',
      undefined,
      'webform',
      'webform',
      'email',
    ]);
    expect(oldEvents.every((event) => event.metadata['schemaVersion'] === 1)).toBe(true);
    expect(newEvents.map((event) => event.metadata['schemaVersion'])).toEqual([3, 2, 2, 1, 2, 2, 2]);
    expect(oldEvents.map((event) => event.metadata['hash'])).not.toEqual(newEvents.map((event) => event.metadata['hash']));
  });

  it('reads both as the same current events', async () => {
    const strip = (events: RecordedEvent<RedressEvent>[]) => events.map(({ type, data, revision }) => ({ type, data, revision }));
    expect(strip(await v1.readStream(STREAM))).toEqual(strip(await v2.readStream(STREAM)));
  });

  it('folds both to the same decider state', async () => {
    const decider = complaintDecider();
    const state = async (store: UpcastingEventStore<RedressEvent>) =>
      fold(decider, await eventStoreOfKind(store, COMPLAINT_UPCASTERS).readStream(STREAM));
    const oldState = await state(v1);
    expect(oldState).toEqual(await state(v2));
    expect(oldState).toMatchObject({ status: 'open', caseId: CASE_ID });
  });

  it('folds both to the same case view, with the channel read as web everywhere', async () => {
    const view = (events: RecordedEvent<RedressEvent>[]) => events.reduce<CaseView | null>(evolveCaseView, null)!;
    const oldView = view(await v1.readStream(STREAM));
    expect(oldView).toEqual(view(await v2.readStream(STREAM)));
    expect(oldView.channel).toBe('web');
    expect(oldView.contacts.map((contact) => contact.channel)).toEqual(['web', 'email']);
    expect(oldView.apologies.map((apology) => apology.channel)).toEqual(['web']);
    expect(oldView.explanations.map((explanation) => explanation.channel)).toEqual(['web']);
  });

  it('keeps the old stored bytes verifiable, before and after the case moves on', async () => {
    expect(verifyChain(await v1Raw.readStream(STREAM))).toEqual({ valid: true, events: 7 });
    const next = command('IssueApology', { channel: 'web', message: 'Sorry again' }, { at: T(60) });
    const result = await handleCommand(eventStoreOfKind(v1, COMPLAINT_UPCASTERS), complaintDecider(), STREAM, next, {
      commandId: 'cmd-after',
      correlationId: 'cmd-after',
      causationId: 'cmd-after',
      actor: next.by,
      occurredAt: next.at,
    });
    expect(result.revision).toBe(7);
    const stored = await v1Raw.readStream(STREAM);
    expect(verifyChain(stored)).toEqual({ valid: true, events: 8 });
    expect(stored.map((event) => event.metadata['schemaVersion'])).toEqual([1, 1, 1, 1, 1, 1, 1, 2]);
    expect((stored[0].data as { channel: string }).channel).toBe('webform');
  });
});
