import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complaintDecider, complaintStreamName } from '../../src/complaints/domain/complaint.decider';
import type { ComplaintEvent } from '../../src/complaints/domain/complaint.events';
import { fold } from '../../src/core/decider';
import { GENESIS_HASH, verifyChain } from '../../src/core/event-store/hash-chain';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import type { RecordedEvent } from '../../src/core/event-store/event-store.port';
import { upcast } from '../../src/core/event-store/upcasting-event-store';
import { COMPLAINT_UPCASTERS } from '../../src/complaints/domain/complaint.upcasters';
import { SteppingClock, shift } from '../support/stepping-clock';
import { CUSTOMER_ROLE_IN_TOKENS } from '../support/test-tokens';
import { ApiResponse, startTestServer, TestServer } from '../support/test-server';
import {
  agent,
  CommandBody,
  contact,
  customer,
  eventsOf,
  expectFieldErrors,
  expectProblem,
  openCase,
  RecordedEventBody,
  succeed,
  supervisor,
  validAssessment,
  validComplaint,
} from './e2e-helpers';

const HEX64 = /^[0-9a-f]{64}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface HistoryPage {
  caseId: string;
  events: RecordedEventBody[];
  nextRevision: number | null;
}

/** GET as raw text (the NDJSON export is not one JSON document). */
async function getText(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + path, {
    headers: { ...(await server.authorization({ sub: 'auditor-1', role: 'auditor' })), ...headers },
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

function ndjsonLines(text: string): RecordedEventBody[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as RecordedEventBody);
}

/**
 * An event as stored, by the README's recipe: personal fields are shown opened, their stored (sealed) form under
 * `sealed` by path; put each back at its path in `data`. Done here without Redress's code.
 */
function asStored(event: RecordedEventBody): RecordedEventBody {
  if (!event.sealed) return event;
  const { sealed, ...stored } = event;
  const data = structuredClone(event.data);
  for (const [path, value] of Object.entries(sealed)) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<Record<string, any>>((at, key) => at[key], data);
    parent[keys[keys.length - 1]] = value;
  }
  return { ...stored, data };
}

/** Re-verifies events as an auditor would outside Redress: the stream name is `complaint-<caseId>`. */
function verifyExported(caseId: string, events: readonly RecordedEventBody[]) {
  return verifyChain(events.map((event) => ({ ...asStored(event), streamName: complaintStreamName(caseId) })));
}

/** The definition of an event hash, computed here without Redress's code: sha256 over sorted-key JSON. */
function independentHash(caseId: string, shown: RecordedEventBody): string {
  const event = asStored(shown);
  const { hash: _hash, ...metadata } = event.metadata;
  const canonical = JSON.stringify(
    {
      stream: complaintStreamName(caseId),
      revision: event.revision,
      type: event.type,
      data: event.data,
      metadata,
      prevHash: event.metadata['prevHash'],
    },
    (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value,
  );
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

describe('the auditor’s view of a case: history and time travel', () => {
  // Every command reads the clock once; a second per reading gives each command its own instant.
  const clock = new SteppingClock(new Date(Date.now() - 3_600_000).toISOString(), { seconds: 1 });
  let server: TestServer;
  let caseId: string;
  /** The case view GET /cases/:id answered right after each command, by the revision it reflected. */
  const viewsAt = new Map<number, unknown>();
  /** The actor of each revision, as the commands were sent. */
  const actors: Array<{ id: string; role: string }> = [];
  let history: RecordedEventBody[];

  const TYPES = [
    'ComplaintReceived',
    'ComplaintAcknowledged',
    'CustomerContactLogged',
    'CaseAssigned',
    'ComplaintAssessed',
    'ApologyIssued',
    'GoodwillOffered',
    'GoodwillApprovalRequested',
    'GoodwillApproved',
    'GoodwillAccepted',
    'GoodwillFulfilled',
    'ComplaintResolved',
    'FollowUpCompleted',
    'CaseClosed',
  ];

  async function captureView(result: CommandBody, headers: Record<string, string>, events: number): Promise<void> {
    // The recorded actor is the token's: staff record the customer's own answers under an agent's token.
    const role = headers['X-Actor-Role'] === 'customer' ? CUSTOMER_ROLE_IN_TOKENS : headers['X-Actor-Role'];
    const actor = { id: headers['X-Actor-Id'], role };
    for (let index = 0; index < events; index++) actors.push(actor);
    const view = await server.get(`/cases/${result.caseId}?minPosition=${result.position}`);
    expect(view.status).toBe(200);
    expect(view.body.revision).toBe(result.revision);
    viewsAt.set(result.revision, view.body);
  }

  async function step(action: string, body: unknown, headers: Record<string, string> = agent, events = 1): Promise<CommandBody> {
    const result = (await succeed(server, caseId, action, body, headers)).body;
    await captureView(result, headers, events);
    // Another case in between, so the case's positions are not consecutive in the global log.
    await openCase(server, { ...validComplaint, summary: `noise after ${action}` });
    return result;
  }

  beforeAll(async () => {
    server = await startTestServer({ clock });
    const opened = await server.post<CommandBody>('/cases', validComplaint, {
      ...agent,
      'Idempotency-Key': 'history-open',
      'X-Correlation-Id': 'corr-history',
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    await captureView(opened.body, agent, 1);
    await step('acknowledge', { channel: 'email', message: 'We have your complaint' });
    await step('log-contact', contact('Called the customer back'));
    await step('assign', { agentId: 'agent-7', team: 'desk-1' });
    await step('assess', validAssessment);
    await step('apologize', { channel: 'email', message: 'We are sorry' });
    const offer = await step('goodwill', { kind: 'credit', amount: 20_000, currency: 'GBP' }, agent, 2);
    await step(`goodwill/${offer.offerId}/approve`, { note: 'Fair' }, supervisor);
    await step(`goodwill/${offer.offerId}/response`, { response: 'accepted' }, customer);
    await step(`goodwill/${offer.offerId}/fulfil`, { reference: 'CR-1' });
    await step('resolve', { resolution: 'Credited', outcome: 'upheld' });
    await step('follow-up', { satisfied: true, csat: 5 }, customer);
    await step('close', {});
    const response = await server.get<HistoryPage>(`/cases/${caseId}/history`);
    expect(response.status).toBe(200);
    history = response.body.events;
  });
  afterAll(async () => {
    await server.close();
  });

  describe('GET /cases/:caseId/history', () => {
    it('lists every event in order with type, data, revision, global position and metadata', async () => {
      const { status, body } = await server.get<HistoryPage>(`/cases/${caseId}/history`);
      expect(status).toBe(200);
      expect(body.caseId).toBe(caseId);
      expect(body.nextRevision).toBeNull();
      expect(body.events.map((event) => event.type)).toEqual(TYPES);
      expect(body.events.map((event) => event.revision)).toEqual(TYPES.map((_, revision) => revision));
      const positions = body.events.map((event) => event.position);
      for (let index = 1; index < positions.length; index++) expect(positions[index]).toBeGreaterThan(positions[index - 1]);
      expect(positions[positions.length - 1] - positions[0]).toBeGreaterThan(positions.length - 1);

      body.events.forEach((event, revision) => {
        expect(event).toEqual({
          id: expect.stringMatching(UUID),
          streamName: complaintStreamName(caseId),
          type: TYPES[revision],
          revision,
          position: expect.any(Number),
          recordedAt: expect.stringMatching(ISO),
          data: expect.any(Object),
          metadata: {
            actor: actors[revision],
            commandId: expect.any(String),
            commandType: expect.any(String),
            correlationId: expect.any(String),
            causationId: expect.any(String),
            occurredAt: expect.stringMatching(ISO),
            schemaVersion:
              TYPES[revision] === 'ComplaintReceived'
                ? 3
                : ['ComplaintAcknowledged', 'CustomerContactLogged', 'ApologyIssued'].includes(TYPES[revision])
                  ? 2
                  : 1,
            prevHash: revision === 0 ? GENESIS_HASH : body.events[revision - 1].metadata['hash'],
            hash: expect.stringMatching(HEX64),
            // Hash version 2: the hash covers the recording instant.
            hashVersion: 2,
            recordedAt: event.recordedAt,
            // Commands sent with an Idempotency-Key record the request it was bound to.
            ...(event.metadata['requestFingerprint'] !== undefined ? { requestFingerprint: expect.stringMatching(HEX64) } : {}),
          },
          // Personal fields are shown opened; their stored form is kept beside the data.
          ...(event.sealed ? { sealed: expect.any(Object) } : {}),
        });
        expect(event.data['by']).toEqual(event.metadata['actor']);
        expect(event.data['at']).toBe(event.metadata['occurredAt']);
      });
      expect(body.events.filter((event) => event.sealed).map((event) => [event.type, Object.keys(event.sealed!)])).toEqual([
        ['ComplaintReceived', ['summary']],
        ['CustomerContactLogged', ['summary']],
      ]);
      expect(body.events[0].data['summary']).toBe(validComplaint.summary);
      expect(body.events[0].metadata).toMatchObject({
        commandId: 'history-open',
        correlationId: 'corr-history',
        causationId: 'history-open',
        commandType: 'ReceiveComplaint',
      });
      expect(body.events[6].metadata['commandId']).toBe(body.events[7].metadata['commandId']);
      expect(new Set(body.events.map((event) => event.metadata['commandId'])).size).toBe(TYPES.length - 1);
      expect(body.events).toEqual((await eventsOf(server, caseId)).map((event) => ({ ...event, streamName: complaintStreamName(caseId) })));
      expect(verifyExported(caseId, body.events)).toEqual({ valid: true, events: TYPES.length });
    });

    it('pages with fromRevision and limit; nextRevision walks the whole stream', async () => {
      const walked: RecordedEventBody[] = [];
      const nexts: Array<number | null> = [];
      for (let from: number | null = 0, pages = 0; from !== null; pages++) {
        expect(pages).toBeLessThan(10);
        const page: ApiResponse<HistoryPage> = await server.get<HistoryPage>(`/cases/${caseId}/history?fromRevision=${from}&limit=4`);
        const { status, body } = page;
        expect(status).toBe(200);
        expect(body.events.length).toBeLessThanOrEqual(4);
        walked.push(...body.events);
        nexts.push(body.nextRevision);
        from = body.nextRevision;
      }
      expect(nexts).toEqual([4, 8, 12, null]);
      expect(walked).toEqual(history);

      const middle = await server.get<HistoryPage>(`/cases/${caseId}/history?fromRevision=3&limit=2`);
      expect(middle.body.events.map((event) => event.revision)).toEqual([3, 4]);
      expect(middle.body.nextRevision).toBe(5);
      const exactEnd = await server.get<HistoryPage>(`/cases/${caseId}/history?fromRevision=10&limit=4`);
      expect(exactEnd.body.events.map((event) => event.revision)).toEqual([10, 11, 12, 13]);
      expect(exactEnd.body.nextRevision).toBeNull();
      const beyond = await server.get<HistoryPage>(`/cases/${caseId}/history?fromRevision=99`);
      expect({ status: beyond.status, events: beyond.body.events, nextRevision: beyond.body.nextRevision }).toEqual({
        status: 200,
        events: [],
        nextRevision: null,
      });
      const largest = await server.get<HistoryPage>(`/cases/${caseId}/history?limit=1000`);
      expect(largest.body.events).toEqual(history);
    });

    it('streams the whole history as NDJSON with ?format=ndjson', async () => {
      const response = await getText(server, `/cases/${caseId}/history?format=ndjson&limit=2`);
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^application\/x-ndjson\b/);
      const lines = ndjsonLines(response.text);
      expect(lines).toHaveLength(TYPES.length);
      expect(lines).toEqual(history);
      expect(verifyExported(caseId, lines)).toEqual({ valid: true, events: TYPES.length });
    });

    it('streams NDJSON for Accept: application/x-ndjson, and JSON when format=json says so', async () => {
      const response = await getText(server, `/cases/${caseId}/history`, { Accept: 'application/x-ndjson' });
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^application\/x-ndjson\b/);
      const lines = ndjsonLines(response.text);
      expect(lines.map((line) => line.revision)).toEqual(TYPES.map((_, revision) => revision));
      expect(verifyExported(caseId, lines)).toEqual({ valid: true, events: TYPES.length });

      const json = await server.get<HistoryPage>(`/cases/${caseId}/history?format=json`, { Accept: 'application/x-ndjson' });
      expect(json.headers.get('content-type')).toMatch(/^application\/json\b/);
      expect(json.body.events).toEqual(history);
    });

    it('answers 404 for an unknown case, as JSON and as NDJSON', async () => {
      expectProblem(await server.get('/cases/no-such-case/history'), 404, '/cases/no-such-case/history');
      expectProblem(await server.get('/cases/no-such-case/history?format=ndjson'), 404);
      expectProblem(await server.get('/cases/no-such-case/history', { Accept: 'application/x-ndjson' }), 404);
    });

    it('answers 400 naming the parameter for invalid paging or format', async () => {
      expectFieldErrors(await server.get(`/cases/${caseId}/history?limit=0`), ['limit']);
      expectFieldErrors(await server.get(`/cases/${caseId}/history?limit=abc`), ['limit']);
      expectFieldErrors(await server.get(`/cases/${caseId}/history?limit=1001`), ['limit']);
      expectFieldErrors(await server.get(`/cases/${caseId}/history?fromRevision=-1`), ['fromRevision']);
      expectFieldErrors(await server.get(`/cases/${caseId}/history?fromRevision=1.5`), ['fromRevision']);
      expectFieldErrors(await server.get(`/cases/${caseId}/history?format=xml`), ['format']);
    });
  });

  describe('GET /cases/:caseId/state (time travel)', () => {
    const decider = complaintDecider();
    const stateAfter = (revision: number) =>
      JSON.parse(JSON.stringify(fold(decider, history.slice(0, revision + 1) as unknown as ComplaintEvent[])));

    it('folds the case up to atRevision=N, names event N as the last applied, and shows the view GET /cases/:id showed then', async () => {
      for (let revision = 0; revision < history.length; revision++) {
        const { status, body } = await server.get(`/cases/${caseId}/state?atRevision=${revision}`);
        expect({ revision, status }).toEqual({ revision, status: 200 });
        const event = history[revision];
        expect(body.caseId).toBe(caseId);
        expect(body.atRevision).toBe(revision);
        expect(body.lastEvent).toEqual({ type: event.type, revision, position: event.position, occurredAt: event.metadata['occurredAt'] });
        expect(body.state).toEqual(stateAfter(revision));
        expect(body.view.revision).toBe(revision);
        if (viewsAt.has(revision)) expect({ revision, view: body.view }).toEqual({ revision, view: viewsAt.get(revision) });
      }
      expect(viewsAt.size).toBe(history.length - 1);
      const last = await server.get(`/cases/${caseId}/state?atRevision=${history.length - 1}`);
      expect(last.body.state).toMatchObject({ status: 'closed' });
      const first = await server.get(`/cases/${caseId}/state?atRevision=0`);
      expect(first.body.state).toMatchObject({ status: 'open', caseId });
      expect(first.body.view).toMatchObject({ status: 'received', revision: 0 });
    });

    it('for asOf between two events, applies the earlier one and shows the view as it was then', async () => {
      let checked = 0;
      for (let revision = 0; revision < history.length - 1; revision++) {
        const at = Date.parse(history[revision].metadata['occurredAt']);
        const nextAt = Date.parse(history[revision + 1].metadata['occurredAt']);
        if (nextAt === at) continue; // two events of one command
        expect(nextAt).toBeGreaterThan(at);
        const asOf = new Date(Math.floor((at + nextAt) / 2)).toISOString();
        const { status, body } = await server.get(`/cases/${caseId}/state?asOf=${encodeURIComponent(asOf)}`);
        expect({ asOf, status }).toEqual({ asOf, status: 200 });
        expect(body.asOf).toBe(asOf);
        expect(body.lastEvent).toMatchObject({ revision, type: history[revision].type });
        expect(body.state).toEqual(stateAfter(revision));
        expect(body.view).toEqual(viewsAt.get(revision));
        checked += 1;
      }
      expect(checked).toBe(history.length - 2);
    });

    it('includes events that occurred exactly at asOf, applies both events of one command together, and accepts any UTC offset', async () => {
      const offered = history[6];
      expect(offered.type).toBe('GoodwillOffered');
      const exact = await server.get(`/cases/${caseId}/state?asOf=${encodeURIComponent(offered.metadata['occurredAt'])}`);
      expect(exact.body.lastEvent).toMatchObject({ revision: 7, type: 'GoodwillApprovalRequested' });
      expect(exact.body.view).toEqual(viewsAt.get(7));

      const utc = history[3].metadata['occurredAt'] as string;
      const plusTwo = new Date(Date.parse(utc) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
      const offset = await server.get(`/cases/${caseId}/state?asOf=${encodeURIComponent(plusTwo)}`);
      expect(offset.status).toBe(200);
      expect(offset.body.lastEvent.revision).toBe(3);

      const now = await server.get(`/cases/${caseId}/state?asOf=${encodeURIComponent(clock.peek())}`);
      expect(now.body.lastEvent.revision).toBe(history.length - 1);
      expect(now.body.view).toEqual(viewsAt.get(history.length - 1));
    });

    it('answers 400 problems naming the parameter for invalid, missing, doubled, future or out-of-range points', async () => {
      const state = (query: string) => server.get(`/cases/${caseId}/state${query}`);
      expectFieldErrors(await state('?asOf=garbage'), ['asOf']);
      expectFieldErrors(await state('?asOf=2025-13-45T25:00:00Z'), ['asOf']);
      expectFieldErrors(await state('?atRevision=-1'), ['atRevision']);
      expectFieldErrors(await state('?atRevision=abc'), ['atRevision']);
      expectFieldErrors(await state('?atRevision=1.5'), ['atRevision']);
      for (const query of ['', `?asOf=${encodeURIComponent(history[1].metadata['occurredAt'])}&atRevision=1`]) {
        const response = await state(query);
        expectProblem(response, 400);
        const fields = (response.body.errors as Array<{ field: string }>).map((error) => error.field);
        expect(fields.length).toBeGreaterThan(0);
        for (const field of fields) expect(['asOf', 'atRevision']).toContain(field);
      }
      // The future by the service's clock (which runs an hour behind the wall clock here).
      expectFieldErrors(await state(`?asOf=${encodeURIComponent(shift(clock.peek(), { minutes: 30 }))}`), ['asOf']);
      expectFieldErrors(await state(`?atRevision=${history.length}`), ['atRevision']);
      expectFieldErrors(await state('?atRevision=999999999'), ['atRevision']);
      expectFieldErrors(await state(`?asOf=${encodeURIComponent(shift(history[0].metadata['occurredAt'], { ms: -1 }))}`), ['asOf']);
    });

    it('answers 404 for an unknown case', async () => {
      expectProblem(await server.get('/cases/no-such-case/state?atRevision=0'), 404, '/cases/no-such-case/state?atRevision=0');
      expectProblem(await server.get(`/cases/no-such-case/state?asOf=${encodeURIComponent(history[0].metadata['occurredAt'])}`), 404);
    });
  });
});

describe('tamper evidence', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-tamper-'));
  let server: TestServer;
  const cases: Record<'edited' | 'deleted' | 'actor' | 'swapped' | 'untouched', string> = {
    edited: '',
    deleted: '',
    actor: '',
    swapped: '',
    untouched: '',
  };
  const EVENTS = 6;

  async function lifecycle(): Promise<string> {
    const { caseId } = await openCase(server);
    await succeed(server, caseId, 'acknowledge', { channel: 'email', message: 'Got it' });
    await succeed(server, caseId, 'log-contact', contact('Called back'));
    await succeed(server, caseId, 'assign', { agentId: 'agent-7' });
    await succeed(server, caseId, 'assess', validAssessment);
    await succeed(server, caseId, 'apologize', { channel: 'email', message: 'Sorry' });
    return caseId;
  }

  /** Edits the stopped service's SQLite log directly, as an intruder with file access would. */
  function tamper(edit: (db: Database.Database) => void): void {
    const db = new Database(join(dataDir, 'events.db'));
    try {
      edit(db);
    } finally {
      db.close();
    }
  }

  const row = (db: Database.Database, caseId: string, revision: number) =>
    db
      .prepare('SELECT data, metadata FROM events WHERE stream_name = ? AND stream_revision = ?')
      .get(complaintStreamName(caseId), revision) as { data: string; metadata: string };

  beforeAll(async () => {
    server = await startTestServer({ dataDir });
    for (const name of Object.keys(cases) as Array<keyof typeof cases>) cases[name] = await lifecycle();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores, for every event, the SHA-256 of its canonical encoding chained to the previous hash', async () => {
    for (const caseId of Object.values(cases)) {
      const { body } = await server.get<HistoryPage>(`/cases/${caseId}/history`);
      expect(body.events).toHaveLength(EVENTS);
      body.events.forEach((event, revision) => {
        expect(event.metadata['prevHash']).toBe(revision === 0 ? GENESIS_HASH : body.events[revision - 1].metadata['hash']);
        expect({ revision, hash: event.metadata['hash'] }).toEqual({ revision, hash: independentHash(caseId, event) });
      });
    }
  });

  it('verifies an untouched case', async () => {
    for (const caseId of Object.values(cases)) {
      expect((await server.get(`/cases/${caseId}/verify`)).body).toMatchObject({
        valid: true,
        events: EVENTS,
        head: { revision: EVENTS - 1, hash: expect.stringMatching(HEX64) },
      });
    }
    expectProblem(await server.get('/cases/no-such-case/verify'), 404);
  });

  describe('after the SQLite file was edited behind the service’s back', () => {
    beforeAll(async () => {
      await server.close();
      tamper((db) => {
        const update = db.prepare('UPDATE events SET data = ? WHERE stream_name = ? AND stream_revision = ?');
        // One event's data: the assignment now names someone else.
        const assigned = JSON.parse(row(db, cases.edited, 3).data);
        expect(assigned.agentId).toBe('agent-7');
        expect(update.run(JSON.stringify({ ...assigned, agentId: 'agent-evil' }), complaintStreamName(cases.edited), 3).changes).toBe(1);
        // A middle event removed.
        expect(
          db.prepare('DELETE FROM events WHERE stream_name = ? AND stream_revision = 2').run(complaintStreamName(cases.deleted)).changes,
        ).toBe(1);
        // Metadata: someone else claims to have assessed.
        const metadata = JSON.parse(row(db, cases.actor, 4).metadata);
        expect(
          db
            .prepare('UPDATE events SET metadata = ? WHERE stream_name = ? AND stream_revision = 4')
            .run(JSON.stringify({ ...metadata, actor: { id: 'sup-1', role: 'supervisor' } }), complaintStreamName(cases.actor)).changes,
        ).toBe(1);
        // Two events' data swapped.
        const contactData = row(db, cases.swapped, 2).data;
        const apologyData = row(db, cases.swapped, 5).data;
        update.run(apologyData, complaintStreamName(cases.swapped), 2);
        update.run(contactData, complaintStreamName(cases.swapped), 5);
      });
      server = await startTestServer({ dataDir });
    });

    it('names the revision whose data was edited', async () => {
      expect((await server.get(`/cases/${cases.edited}/verify`)).body).toMatchObject({
        valid: false,
        events: EVENTS,
        brokenAt: 3,
        reason: expect.stringMatching(/altered/),
      });
    });

    it('names the revision that was deleted as missing', async () => {
      expect((await server.get(`/cases/${cases.deleted}/verify`)).body).toMatchObject({
        valid: false,
        events: EVENTS - 1,
        brokenAt: 2,
        reason: expect.stringMatching(/missing/),
      });
    });

    it('names the revision whose metadata (the actor) was edited', async () => {
      expect((await server.get(`/cases/${cases.actor}/verify`)).body).toMatchObject({
        valid: false,
        events: EVENTS,
        brokenAt: 4,
        reason: expect.any(String),
      });
    });

    it('names the first of two revisions whose data was swapped', async () => {
      expect((await server.get(`/cases/${cases.swapped}/verify`)).body).toMatchObject({
        valid: false,
        events: EVENTS,
        brokenAt: 2,
        reason: expect.any(String),
      });
    });

    it('still verifies the untouched case', async () => {
      expect((await server.get(`/cases/${cases.untouched}/verify`)).body).toMatchObject({ valid: true, events: EVENTS });
    });

    it('shows the stored (tampered) bytes in the history, so an auditor finds the same break offline', async () => {
      const { body } = await server.get<HistoryPage>(`/cases/${cases.edited}/history`);
      expect(body.events[3].data['agentId']).toBe('agent-evil');
      expect(independentHash(cases.edited, body.events[3])).not.toBe(body.events[3].metadata['hash']);
      expect(verifyExported(cases.edited, body.events)).toMatchObject({ valid: false, brokenAt: 3 });
      const exported = ndjsonLines((await getText(server, `/cases/${cases.deleted}/history?format=ndjson`)).text);
      expect(exported.map((event) => event.revision)).toEqual([0, 1, 3, 4, 5]);
      expect(verifyExported(cases.deleted, exported)).toMatchObject({ valid: false, brokenAt: 2 });
    });
  });
});

describe('schema evolution: events written by an older Redress', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-legacy-'));
  const LEGACY = 'legacy-case-1';
  let server: TestServer;
  let legacyPosition: number;

  beforeAll(async () => {
    server = await startTestServer({ dataDir });
    const today = await openCase(server);
    const [received] = await eventsOf(server, today.caseId);
    await server.close();

    // The older Redress called the web channel `webform` and wrote schema version 1; appended with the real hash chain.
    const store = new SqliteEventStore(join(dataDir, 'events.db'));
    try {
      const by = { id: 'agent-old', role: 'agent' };
      const at = (minutes: number) => new Date(Date.now() - (30 - minutes) * 60_000).toISOString();
      const metadata = (commandType: string, minutes: number) => ({
        actor: by,
        commandId: `legacy-${commandType}`,
        commandType,
        correlationId: `legacy-${commandType}`,
        causationId: `legacy-${commandType}`,
        occurredAt: at(minutes),
        schemaVersion: 1,
      });
      const result = await store.appendToStream(
        complaintStreamName(LEGACY),
        [
          {
            id: '00000000-0000-4000-8000-000000000001',
            type: 'ComplaintReceived',
            data: {
              ...received.data,
              caseId: LEGACY,
              customerId: 'cust-legacy',
              channel: 'webform',
              summary: 'Old form ate my order',
              receivedAt: at(0),
              by,
              at: at(0),
            },
            metadata: metadata('ReceiveComplaint', 0),
          },
          {
            id: '00000000-0000-4000-8000-000000000002',
            type: 'ComplaintAcknowledged',
            data: { channel: 'webform', message: 'Thanks', by, at: at(1) },
            metadata: metadata('AcknowledgeComplaint', 1),
          },
          {
            id: '00000000-0000-4000-8000-000000000003',
            type: 'CustomerContactLogged',
            data: { direction: 'inbound', channel: 'webform', summary: 'Wrote again', by, at: at(2) },
            metadata: metadata('LogCustomerContact', 2),
          },
        ],
        'no_stream',
      );
      legacyPosition = result.position;
    } finally {
      await store.close();
    }
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the old case with the channel read as web', async () => {
    const { status, body } = await server.get(`/cases/${LEGACY}?minPosition=${legacyPosition}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ caseId: LEGACY, channel: 'web', revision: 2, status: 'acknowledged' });
    expect(body.contacts.map((entry: { channel: string }) => entry.channel)).toEqual(['web']);
    const events = await eventsOf(server, LEGACY);
    expect(events.map((event) => event.data['channel'])).toEqual(['web', 'web', 'web']);
    const state = await server.get(`/cases/${LEGACY}/state?atRevision=2`);
    expect(state.status).toBe(200);
    expect(state.body.view).toMatchObject({ channel: 'web', contacts: [{ channel: 'web' }] });
  });

  it('keeps deciding commands on the old case', async () => {
    const contacted = await succeed(server, LEGACY, 'log-contact', {
      direction: 'outbound',
      channel: 'web',
      summary: 'Replied on the portal',
    });
    expect(contacted.body.revision).toBe(3);
    await succeed(server, LEGACY, 'assess', validAssessment);
    const apology = await succeed(server, LEGACY, 'apologize', { channel: 'web', message: 'Sorry about the old form' });
    expect(apology.body.revision).toBe(5);
    const view = await server.get(`/cases/${LEGACY}?minPosition=${apology.body.position}`);
    expect(view.body).toMatchObject({
      channel: 'web',
      revision: 5,
      contacts: [{ channel: 'web' }, { channel: 'web' }],
      apologies: [{ channel: 'web' }],
    });
  });

  it('shows auditors the stored v1 payloads with their schema version, and the chain still verifies', async () => {
    const { body } = await server.get<HistoryPage>(`/cases/${LEGACY}/history`);
    expect(body.events.map((event) => [event.type, event.metadata['schemaVersion'], event.data['channel']])).toEqual([
      ['ComplaintReceived', 1, 'webform'],
      ['ComplaintAcknowledged', 1, 'webform'],
      ['CustomerContactLogged', 1, 'webform'],
      ['CustomerContactLogged', 2, 'web'],
      ['ComplaintAssessed', 1, undefined],
      ['ApologyIssued', 2, 'web'],
    ]);
    body.events.forEach((event) => expect(event.metadata['hash']).toBe(independentHash(LEGACY, event)));
    expect((await server.get(`/cases/${LEGACY}/verify`)).body).toMatchObject({ valid: true, events: 6 });
  });
});

describe('time travel over a log where a later revision occurred earlier (concurrent commands)', () => {
  // Two commands handled concurrently: the assessment's request read the clock first (its occurredAt is earlier) but
  // the assignment's append committed first (revision 1), so the assessment became revision 2. occurredAt is read once
  // per request, before the stream is read, and kept across conflict retries: this is what the log then holds.
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-skew-'));
  const CASE = 'skewed-case';
  const base = Date.now() - 600_000;
  const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();
  let server: TestServer;
  let recorded: RecordedEventBody[];

  beforeAll(async () => {
    const store = new SqliteEventStore(join(dataDir, 'events.db'));
    try {
      const by = { id: 'agent-7', role: 'agent' };
      const metadata = (commandId: string, commandType: string, seconds: number) => ({
        actor: by,
        commandId,
        commandType,
        correlationId: commandId,
        causationId: commandId,
        occurredAt: at(seconds),
        schemaVersion: 1,
      });
      await store.appendToStream(
        complaintStreamName(CASE),
        [
          {
            id: '00000000-0000-4000-8000-0000000000a1',
            type: 'ComplaintReceived',
            data: {
              caseId: CASE,
              customerId: 'cust-1',
              channel: 'email',
              summary: 'Late',
              regime: 'default',
              receivedAt: at(0),
              by,
              at: at(0),
            },
            metadata: { ...metadata('c0', 'ReceiveComplaint', 0), schemaVersion: 2 },
          },
        ],
        'no_stream',
      );
      await store.appendToStream(
        complaintStreamName(CASE),
        [
          {
            id: '00000000-0000-4000-8000-0000000000a2',
            type: 'CaseAssigned',
            data: { agentId: 'agent-9', by, at: at(20) },
            metadata: metadata('c2', 'AssignCase', 20),
          },
        ],
        0,
      );
      await store.appendToStream(
        complaintStreamName(CASE),
        [
          {
            id: '00000000-0000-4000-8000-0000000000a3',
            type: 'ComplaintAssessed',
            data: { ...validAssessment, by, at: at(10) },
            metadata: metadata('c1', 'AssessComplaint', 10),
          },
        ],
        1,
      );
    } finally {
      await store.close();
    }
    server = await startTestServer({ dataDir });
    recorded = (await server.get<HistoryPage>(`/cases/${CASE}/history`)).body.events;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never folds a state the case was not in: what is applied is a prefix of the stream, ending at lastEvent', async () => {
    expect(recorded.map((event) => event.type)).toEqual(['ComplaintReceived', 'CaseAssigned', 'ComplaintAssessed']);
    const decider = complaintDecider();
    for (const seconds of [5, 15, 25]) {
      const { status, body } = await server.get(`/cases/${CASE}/state?asOf=${encodeURIComponent(at(seconds))}`);
      expect(status).toBe(200);
      const prefix = recorded.slice(0, body.lastEvent.revision + 1);
      expect({ asOf: at(seconds), view: body.view.revision, state: body.state }).toEqual({
        asOf: at(seconds),
        view: body.lastEvent.revision,
        // The history shows events as stored: read them as the service does, through the upcasters.
        state: JSON.parse(
          JSON.stringify(
            fold(
              decider,
              prefix.map((event) => upcast(COMPLAINT_UPCASTERS, event as unknown as RecordedEvent)) as unknown as ComplaintEvent[],
            ),
          ),
        ),
      });
    }
  });
});
