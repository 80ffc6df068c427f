import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedCaseViews, writeComplaintHistory } from '../../test/support/complaint-history';
import { complaintDecider, complaintStreamName } from '../complaints/domain/complaint.decider';
import type { ComplaintEvent } from '../complaints/domain/complaint.events';
import { loadConfig } from '../config/app-config';
import { fold } from '../core/decider';
import type { EventStore, NewEvent, RecordedEvent } from '../core/event-store/event-store.port';
import { eventHash, verifyChain } from '../core/event-store/hash-chain';
import { SqliteEventStore } from '../core/event-store/sqlite-event-store';
import { UpcastingEventStore } from '../core/event-store/upcasting-event-store';
import { EVENT_UPCASTERS } from '../event-schemas';
import { PERSONAL_FIELDS } from '../personal-fields';
import { PersonalDataProtection } from './personal-data';
import { ERASED, isSealed, parseSealed, UNREADABLE } from './sealed-value';

const BY = { id: 'agent-1', role: 'agent' };
const AT = '2025-03-03T09:00:00.000Z';
const received = (caseId: string, customerId: string, extra: Record<string, unknown> = {}): NewEvent => ({
  id: `${caseId}-0`,
  type: 'ComplaintReceived',
  metadata: { schemaVersion: 2 },
  data: {
    caseId,
    customerId,
    channel: 'email',
    summary: 'My kettle exploded',
    regime: 'default',
    receivedAt: AT,
    by: BY,
    at: AT,
    ...extra,
  },
});
const contactLogged = (id: string, summary: string): NewEvent => ({
  id,
  type: 'CustomerContactLogged',
  metadata: { schemaVersion: 2 },
  data: { direction: 'inbound', channel: 'phone', summary, by: BY, at: AT },
});

/** Every byte of every file in the directory whose name starts with `prefix`. */
const filesBytes = (dir: string, prefix: string) =>
  Buffer.concat(
    readdirSync(dir)
      .filter((name) => name.startsWith(prefix))
      .map((name) => readFileSync(join(dir, name))),
  );

describe('personal data, sealed on append and opened on read', () => {
  let dataDir: string;
  let protection: PersonalDataProtection;
  let raw: SqliteEventStore;
  let store: EventStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-privacy-'));
    protection = PersonalDataProtection.open(
      loadConfig({ DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('base64') }),
      PERSONAL_FIELDS,
    );
    raw = new SqliteEventStore(join(dataDir, 'events.db'));
    store = protection.sealing(raw);
  });
  afterEach(async () => {
    await store.close();
    protection.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the registered fields sealed and the rest as given; the chain covers what is stored', async () => {
    const contact = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0958' };
    await store.appendToStream('complaint-k1', [received('k1', 'c1', { details: 'Steam everywhere', contact, orderRef: 'order-9' })]);
    const [stored] = await raw.readStream('complaint-k1');
    const data = stored.data as Record<string, any>;
    for (const value of [data['summary'], data['details'], data['contact'].name, data['contact'].email, data['contact'].phone])
      expect(isSealed(value)).toBe(true);
    expect(parseSealed(data['contact'].email)).toMatchObject({
      customerId: 'c1',
      keyGeneration: 1,
      streamName: 'complaint-k1',
      field: 'ComplaintReceived/contact.email',
    });
    expect(data).toMatchObject({
      caseId: 'k1',
      customerId: 'c1',
      channel: 'email',
      orderRef: 'order-9',
      regime: 'default',
      by: BY,
      at: AT,
    });
    expect(verifyChain([stored])).toEqual({ valid: true, events: 1 });
    await raw.close();
    const bytes = filesBytes(dataDir, 'events.db');
    for (const plaintext of ['My kettle exploded', 'Steam everywhere', 'Ada Lovelace', 'ada@example.com', '7946'])
      expect(bytes.includes(plaintext)).toBe(false);
    raw = new SqliteEventStore(join(dataDir, 'events.db'));
    store = protection.sealing(raw);
  });

  it("seals a stream's later events with the key of the customer its first event names, also when the key store forgot the stream", async () => {
    await store.appendToStream('complaint-k1', [received('k1', 'c1')]);
    await store.appendToStream('complaint-k1', [contactLogged('k1-1', 'Customer says the lid flew off')]);
    const own = (protection.keys as unknown as { open(): { db: import('better-sqlite3').Database } }).open().db;
    own.prepare('DELETE FROM stream_customers').run();
    await store.appendToStream('complaint-k1', [contactLogged('k1-2', 'Customer sent photos')]);
    const events = await raw.readStream('complaint-k1');
    expect(events.slice(1).map((event) => parseSealed((event.data as { summary: string }).summary)?.customerId)).toEqual(['c1', 'c1']);
    expect(protection.keys.customerOfStream('complaint-k1')).toBe('c1');
    expect(verifyChain(events)).toEqual({ valid: true, events: 3 });
  });

  it('refuses personal data on a stream that never says whose it is', async () => {
    await expect(store.appendToStream('complaint-orphan', [contactLogged('o-1', 'Hello')])).rejects.toThrow(
      /no event of the stream says whose/,
    );
    expect(await raw.readStream('complaint-orphan')).toEqual([]);
  });

  it('opens recorded events for readers, keeping the stored form in `sealed` so the hash can be recomputed', async () => {
    await store.appendToStream('complaint-k1', [received('k1', 'c1', { contact: { email: 'ada@example.com' } })]);
    const [stored] = await raw.readStream('complaint-k1');
    const opened = protection.opener().openEventRecord(stored);
    expect(opened.data).toMatchObject({ summary: 'My kettle exploded', contact: { email: 'ada@example.com' } });
    expect(Object.keys(opened.sealed!).sort()).toEqual(['contact.email', 'summary']);
    const restored = {
      ...opened,
      data: { ...(opened.data as object), summary: opened.sealed!['summary'], contact: { email: opened.sealed!['contact.email'] } },
    };
    expect(eventHash(restored, restored.metadata['prevHash'] as string)).toBe(stored.metadata['hash']);
    expect(stored.data).toEqual((await raw.readStream('complaint-k1'))[0].data);
  });

  it('shows every field of an erased customer as erased, and only theirs', async () => {
    await store.appendToStream('complaint-k1', [received('k1', 'c1')]);
    await store.appendToStream('complaint-k2', [received('k2', 'c2')]);
    await protection.keys.erase('c1', AT);
    const opener = protection.opener();
    const [k1, k2] = [(await raw.readStream('complaint-k1'))[0], (await raw.readStream('complaint-k2'))[0]];
    expect(opener.openEventRecord(k1).data).toMatchObject({ summary: ERASED, customerId: 'c1' });
    expect(opener.openEventRecord(k2).data).toMatchObject({ summary: 'My kettle exploded' });
    expect(
      opener.openDeep({
        views: [{ summary: (k1.data as { summary: string }).summary }, { summary: (k2.data as { summary: string }).summary }],
      }),
    ).toEqual({ views: [{ summary: ERASED }, { summary: 'My kettle exploded' }] });
    // A customer who comes back gets a new key: new data reads, the erased data stays erased.
    await store.appendToStream('complaint-k3', [received('k3', 'c1')]);
    const [k3] = await raw.readStream('complaint-k3');
    expect(parseSealed((k3.data as { summary: string }).summary)?.keyGeneration).toBe(2);
    expect(protection.opener().openDeep([k1.data, k3.data])).toMatchObject([{ summary: ERASED }, { summary: 'My kettle exploded' }]);
  });

  it('refuses a sealed value moved to another stream or field, and reseals lookalikes written into other fields', async () => {
    await store.appendToStream('complaint-k1', [received('k1', 'c1')]);
    const summary = ((await raw.readStream('complaint-k1'))[0].data as { summary: string }).summary;
    // Pasted as another case's contact summary: sealed again with that case's customer, so it opens to the pasted text only.
    await store.appendToStream('complaint-k2', [received('k2', 'c2'), contactLogged('k2-1', summary)]);
    const [, pasted] = await raw.readStream('complaint-k2');
    expect((pasted.data as { summary: string }).summary).not.toBe(summary);
    expect(protection.opener().openEventRecord(pasted).data).toMatchObject({ summary });
    // Moved behind the store's back: the reader sees it was sealed for another place.
    const moved = { ...pasted, data: { ...(pasted.data as object), summary } } as RecordedEvent;
    expect(protection.opener().openEventRecord(moved).data).toMatchObject({ summary: UNREADABLE });
    // A lookalike in a field no registry names is sealed too.
    await store.appendToStream('complaint-k2', [
      {
        id: 'k2-2',
        type: 'ComplaintAssessed',
        metadata: {},
        data: { category: 'x', severity: 'low', justified: 'no', rootCause: 'unknown', findings: summary, by: BY, at: AT },
      },
    ]);
    const [, , assessed] = await raw.readStream('complaint-k2');
    expect(parseSealed((assessed.data as { findings: string }).findings)).toMatchObject({
      customerId: 'c2',
      field: 'ComplaintAssessed/findings',
    });
  });

  it('shows a value whose key this store does not hold as unreadable', async () => {
    await store.appendToStream('complaint-k1', [received('k1', 'c1')]);
    const [stored] = await raw.readStream('complaint-k1');
    const elsewhere = PersonalDataProtection.open(
      loadConfig({ DATA_DIR: join(dataDir, 'elsewhere'), MASTER_KEY: randomBytes(32).toString('base64') }),
      PERSONAL_FIELDS,
    );
    try {
      expect(elsewhere.opener().openEventRecord(stored).data).toMatchObject({ summary: UNREADABLE });
    } finally {
      elsewhere.close();
    }
  });

  it('leaves answers without sealed values untouched (the same objects)', () => {
    const body = { items: [{ caseId: 'k1', status: 'open', n: 1, tags: ['a'], when: null }], nextCursor: null };
    expect(protection.opener().openDeep(body)).toBe(body);
  });

  it('runs the whole command path on sealed events: the decisions and the case views are those of the plaintext', async () => {
    const plainDir = mkdtempSync(join(tmpdir(), 'redress-privacy-plain-'));
    const plain = new SqliteEventStore(join(plainDir, 'events.db'));
    try {
      await writeComplaintHistory(new UpcastingEventStore(plain, EVENT_UPCASTERS), { cases: 14, idPrefix: 'same' });
      const history = await writeComplaintHistory(new UpcastingEventStore(store, EVENT_UPCASTERS), { cases: 14, idPrefix: 'same' });
      const [plainEvents, sealedEvents] = [await plain.readAll(), await raw.readAll()];
      expect(sealedEvents.map((event) => event.type)).toEqual(plainEvents.map((event) => event.type));
      expect(sealedEvents.some((event) => Object.values(event.data as object).some(isSealed))).toBe(true);
      const opener = protection.opener();
      expect(opener.openDeep(expectedCaseViews(sealedEvents))).toEqual(expectedCaseViews(plainEvents));
      for (const caseId of history.caseIds) {
        const decided = (events: RecordedEvent[]) =>
          fold(
            complaintDecider(),
            events.filter((event) => event.streamName === complaintStreamName(caseId)) as unknown as ComplaintEvent[],
          );
        expect(opener.openDeep(decided(sealedEvents))).toEqual(decided(plainEvents));
      }
    } finally {
      await plain.close();
      rmSync(plainDir, { recursive: true, force: true });
    }
  });
});
