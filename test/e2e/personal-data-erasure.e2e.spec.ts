import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { complaintStreamName } from '../../src/complaints/domain/complaint.decider';
import { verifyChain } from '../../src/core/event-store/hash-chain';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import { runCli } from '../support/run-cli';
import { startTestServer, TestServer } from '../support/test-server';
import {
  agent,
  CommandBody,
  customer,
  expectNothingAppendedDuring,
  expectProblem,
  RecordedEventBody,
  succeed,
  validAssessment,
  withTestServer,
} from './e2e-helpers';

/**
 * Crypto-shredding over real HTTP: a customer's personal fields read back in plaintext everywhere, then, after
 * DELETE /customers/:customerId/personal-data, as `[erased]` everywhere, with the hash chain still valid, the
 * analytics byte for byte the same, and the plaintext in no byte of the event log, the read models or the keys.
 */

const ERASED = '[erased]';
const ADMIN = { 'X-Actor-Id': 'admin-1', 'X-Actor-Role': 'admin' };
const ANALYST = { 'X-Actor-Id': 'analyst-1', 'X-Actor-Role': 'analyst' };
const AUDITOR = { 'X-Actor-Id': 'auditor-1', 'X-Actor-Role': 'auditor' };

/** What the customer to be erased said and gave: distinctive, so a byte search cannot match anything else. */
const SAID = {
  name: 'Philomena Quasthoff',
  email: 'philomena.quasthoff@erasure.example',
  phone: '+44 20 7946 0321',
  summary: 'Quasthoff kettle burst into flames',
  details: 'Quasthoff details: the lid flew across the kitchen',
  remedySought: 'Quasthoff wants a refund and a new kettle',
  contact: 'Quasthoff phoned twice about the kettle',
  planComment: 'Quasthoff accepts the plan reluctantly',
  followUp: 'Quasthoff says thanks but never again',
  withdrawal: 'Quasthoff withdraws the second complaint',
  churn: 'Quasthoff moved to a rival shop',
} as const;
/** What another customer said: it must stay readable. */
const KEPT = { summary: 'Ravensworth toaster sparks at breakfast', contact: 'Ravensworth emailed a photo' } as const;
const PLAINTEXTS = [...Object.values(SAID), 'Quasthoff', 'quasthoff', '7946 0321'];

const PERIOD = 'from=2025-01-01&to=2025-01-31&windowDays=30';

interface Scenario {
  server: TestServer;
  subject: string;
  other: string;
  erasedCase: string;
  withdrawnCase: string;
  keptCase: string;
  lastPosition: number;
}

/** Two cases of the subject (one recovered, one withdrawn), one of another customer, purchases and a churn with a reason. */
async function writeScenario(server: TestServer, tag: string): Promise<Scenario> {
  const subject = `erase-me-${tag}`;
  const other = `keep-me-${tag}`;
  const received = { channel: 'email', receivedAt: '2025-01-10T10:00:00Z', orderValue: { amount: 4_999, currency: 'GBP' } };
  const opened = await server.post<CommandBody>(
    '/cases',
    {
      ...received,
      customerId: subject,
      summary: SAID.summary,
      details: SAID.details,
      remedySought: SAID.remedySought,
      contact: { name: SAID.name, email: SAID.email, phone: SAID.phone },
    },
    agent,
  );
  expect(opened.status).toBe(201);
  const erasedCase = opened.body.caseId;
  await succeed(server, erasedCase, 'acknowledge', { channel: 'email', message: 'We have your complaint' });
  await succeed(server, erasedCase, 'log-contact', { direction: 'inbound', channel: 'phone', summary: SAID.contact });
  await succeed(server, erasedCase, 'assess', validAssessment);
  const plan = await succeed(server, erasedCase, 'plan', {
    actions: ['Send a new kettle'],
    dueBy: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  await succeed(server, erasedCase, 'plan-response', { response: 'accepted', comment: SAID.planComment }, customer);
  expect(plan.body.planId).toEqual(expect.any(String));
  await succeed(server, erasedCase, 'resolve', { resolution: 'New kettle sent', outcome: 'upheld' });
  await succeed(server, erasedCase, 'follow-up', { satisfied: true, csat: 4, comment: SAID.followUp }, customer);

  const second = await server.post<CommandBody>('/cases', { ...received, customerId: subject, summary: `${SAID.summary} again` }, agent);
  const withdrawnCase = second.body.caseId;
  await succeed(server, withdrawnCase, 'withdraw', { reason: SAID.withdrawal }, customer);

  const kept = await server.post<CommandBody>('/cases', { ...received, customerId: other, summary: KEPT.summary }, agent);
  const keptCase = kept.body.caseId;
  await succeed(server, keptCase, 'log-contact', { direction: 'inbound', channel: 'email', summary: KEPT.contact });

  for (const [customerId, orderId, at] of [
    [subject, `o1-${tag}`, '2025-01-05T12:00:00Z'],
    [subject, `o2-${tag}`, '2025-02-10T12:00:00Z'],
    [other, `o3-${tag}`, '2025-02-11T12:00:00Z'],
  ] as const) {
    expect((await server.post(`/customers/${customerId}/purchases`, { orderId, amount: 2_500, currency: 'GBP', at }, agent)).status).toBe(
      201,
    );
  }
  const churned = await server.post<{ position: number }>(
    `/customers/${subject}/churn`,
    { reason: SAID.churn, at: '2025-02-20T12:00:00Z' },
    agent,
  );
  expect(churned.status).toBe(200);
  return { server, subject, other, erasedCase, withdrawnCase, keptCase, lastPosition: churned.body.position };
}

/** Every read path, as text where it matters: what the API shows of the scenario now. */
async function readEverything(scenario: Scenario, exportDir: string) {
  const { server, erasedCase, withdrawnCase, keptCase, subject, lastPosition } = scenario;
  const min = `minPosition=${lastPosition}`;
  const view = (await server.get(`/cases/${erasedCase}?${min}`)).body;
  const withdrawn = (await server.get(`/cases/${withdrawnCase}?${min}`)).body;
  const kept = (await server.get(`/cases/${keptCase}?${min}`)).body;
  const list = (await server.get(`/cases?customerId=${subject}&${min}`)).body;
  const customerCases = (await server.get(`/customers/${subject}?${min}`)).body;
  const events = (await server.get<RecordedEventBody[]>(`/cases/${erasedCase}/events`)).body;
  const history = (await server.get<{ events: RecordedEventBody[] }>(`/cases/${erasedCase}/history`, AUDITOR)).body.events;
  const ndjson = await fetch(`${server.url}/cases/${erasedCase}/history?format=ndjson`, {
    headers: await server.authorization({ role: 'auditor' }),
  });
  const ndjsonText = await ndjson.text();
  const historyNdjson = ndjsonText
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as RecordedEventBody);
  const state = (await server.get(`/cases/${erasedCase}/state?atRevision=${history.length - 1}`, AUDITOR)).body;
  const live = await liveFrames(server, erasedCase, history.length - 1);
  const exported = await runCli(['export', '--out', exportDir, erasedCase], cliEnv(server));
  expect({ code: exported.code, stderr: exported.stderr }).toMatchObject({ code: 0 });
  const exportText = readFileSync(join(exportDir, `${erasedCase}.ndjson`), 'utf8');
  const exportLines = exportText
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as RecordedEventBody);
  const verify = (await server.get(`/cases/${erasedCase}/verify`, AUDITOR)).body;
  const loyaltyJson = await server.get(`/analytics/loyalty-outcomes?${PERIOD}&${min}`, ANALYST);
  const loyaltyCsv = await server.get(`/analytics/loyalty-outcomes?${PERIOD}&${min}`, { ...ANALYST, Accept: 'text/csv' });
  expect([loyaltyJson.status, loyaltyCsv.status]).toEqual([200, 200]);
  expect(loyaltyCsv.headers.get('content-type')).toMatch(/^text\/csv/);
  return {
    view,
    withdrawn,
    kept,
    list,
    customerCases,
    events,
    history,
    historyNdjson,
    ndjsonText,
    state,
    live,
    exportLines,
    exportText,
    verify,
    loyaltyJson: JSON.stringify(loyaltyJson.body),
    loyaltyCsv: loyaltyCsv.body as string,
  };
}

/** The CLI's environment for the server's data (and its EventStoreDB, when it runs on one). */
const cliEnv = (server: TestServer): Record<string, string> => ({
  DATA_DIR: server.dataDir,
  ...(server.eventStoreUrl ? { EVENTSTORE_URL: server.eventStoreUrl } : {}),
});

/** The live stream of the case from revision 0: every later event, as SSE frames' data. */
async function liveFrames(server: TestServer, caseId: string, count: number): Promise<RecordedEventBody[]> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/cases/${caseId}/live`, {
    headers: { ...(await server.authorization({ role: 'agent' })), 'Last-Event-ID': '0' },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 10_000;
  try {
    while ((text.match(/^data: /gm) ?? []).length < count) {
      if (Date.now() > deadline) throw new Error(`live: ${count} frames expected, got ${text}`);
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    controller.abort();
  }
  return [...text.matchAll(/^data: (.*)$/gm)].map((match) => JSON.parse(match[1]) as RecordedEventBody);
}

/** The README's recipe: each `sealed` value (a personal field's stored form) put back at its path in `data`. */
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

const verifyOffline = (caseId: string, events: readonly RecordedEventBody[]) =>
  verifyChain(events.map((event) => ({ ...asStored(event), streamName: complaintStreamName(caseId) })));

/** A copy of a value with every string the erased customer said replaced by the erased marker: what erasure should make of it. */
const erasedCopy = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
    typeof item === 'string' && (Object.values(SAID) as string[]).concat(`${SAID.summary} again`).includes(item) ? ERASED : item,
  );

const dataOf = (events: readonly RecordedEventBody[], type: string) =>
  events.find((event) => event.type === type)!.data as Record<string, any>;

function expectPersonalFields(read: Awaited<ReturnType<typeof readEverything>>, shown: (said: string) => string): void {
  const { view, withdrawn, list, customerCases, state } = read;
  expect(view).toMatchObject({
    summary: shown(SAID.summary),
    details: shown(SAID.details),
    remedySought: shown(SAID.remedySought),
    contact: { name: shown(SAID.name), email: shown(SAID.email), phone: shown(SAID.phone) },
    contacts: [{ summary: shown(SAID.contact) }],
    plan: { comment: shown(SAID.planComment), response: 'accepted' },
    followUp: { comment: shown(SAID.followUp), satisfied: true, csat: 4 },
    status: 'resolved',
    category: 'delivery',
  });
  expect(withdrawn).toMatchObject({
    summary: shown(`${SAID.summary} again`),
    withdrawal: { reason: shown(SAID.withdrawal) },
    status: 'withdrawn',
  });
  expect(list.items.map((item: { summary: string }) => item.summary).sort()).toEqual(
    [shown(SAID.summary), shown(`${SAID.summary} again`)].sort(),
  );
  expect(JSON.stringify(customerCases)).toContain(JSON.stringify(shown(SAID.summary)));
  expect(state.view).toMatchObject({
    summary: shown(SAID.summary),
    contact: { email: shown(SAID.email) },
    followUp: { comment: shown(SAID.followUp) },
  });
  for (const events of [read.events, read.history, read.historyNdjson, read.live, read.exportLines]) {
    if (events !== read.live)
      expect(dataOf(events, 'ComplaintReceived')).toMatchObject({
        summary: shown(SAID.summary),
        contact: { name: shown(SAID.name), email: shown(SAID.email), phone: shown(SAID.phone) },
      });
    expect(dataOf(events, 'CustomerContactLogged')).toMatchObject({ summary: shown(SAID.contact) });
    expect(dataOf(events, 'ResolutionPlanAccepted')).toMatchObject({ comment: shown(SAID.planComment) });
    expect(dataOf(events, 'FollowUpCompleted')).toMatchObject({ comment: shown(SAID.followUp) });
    expect(dataOf(events, 'ComplaintAssessed')).toMatchObject({ findings: validAssessment.findings });
  }
}

/** Every byte of every file under the directory whose name starts with one of the prefixes. */
function filesBytes(dir: string, prefixes: readonly string[]): Array<[string, Buffer]> {
  return readdirSync(dir)
    .filter((name) => prefixes.some((prefix) => name.startsWith(prefix)))
    .map((name) => [name, readFileSync(join(dir, name))]);
}

/** The embedded event log (or the EventStoreDB double's, under `npm run test:esdb`) and the key store. */
const EVENT_LOG_AND_KEYS = ['events.db', 'eventstoredb-double', 'keys.db'];

function expectNoPlaintextIn(files: Array<[string, Buffer]>): void {
  expect(files.length).toBeGreaterThan(0);
  const found = files.flatMap(([name, bytes]) => PLAINTEXTS.filter((text) => bytes.includes(text)).map((text) => `${name}: ${text}`));
  expect(found).toEqual([]);
}

/** The erasure scenario on a server with the given environment; `readModelRows` dumps what the read store holds. */
function erasureOverHttp(env: () => Record<string, string>, readModelRows: (server: TestServer) => Promise<Array<[string, Buffer]>>) {
  const exportDirs: string[] = [];
  const exportDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-erasure-export-'));
    exportDirs.push(dir);
    return dir;
  };
  const server = withTestServer(() => ({ env: env() }));
  let scenario: Scenario;
  let before: Awaited<ReturnType<typeof readEverything>>;
  let erasure: { status: number; body: Record<string, unknown>; etag: string | null };
  let after: Awaited<ReturnType<typeof readEverything>>;

  beforeAll(async () => {
    scenario = await writeScenario(server, 'a');
    before = await readEverything(scenario, exportDir());
    const erased = await server.request('DELETE', `/customers/${scenario.subject}/personal-data`, { headers: ADMIN });
    erasure = { status: erased.status, body: erased.body, etag: erased.headers.get('etag') };
    after = await readEverything({ ...scenario, lastPosition: Number(erasure.body['position']) }, exportDir());
  }, 120_000);
  afterAll(() => {
    for (const dir of exportDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the personal fields in plaintext on every read path before the erasure, the chain valid', () => {
    expectPersonalFields(before, (said) => said);
    expect(before.kept).toMatchObject({ summary: KEPT.summary, contacts: [{ summary: KEPT.contact }] });
    expect(before.verify).toMatchObject({ valid: true, events: before.history.length });
    for (const events of [before.history, before.historyNdjson, before.exportLines]) {
      expect(verifyOffline(scenario.erasedCase, events)).toEqual({ valid: true, events: before.history.length });
    }
  });

  it('erases with DELETE /customers/:customerId/personal-data: 200 with the customer, revision, position and when', () => {
    expect(erasure).toEqual({
      status: 200,
      body: {
        customerId: scenario.subject,
        revision: expect.any(Number),
        position: expect.any(Number),
        erasedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      etag: `"${erasure.body['revision']}"`,
    });
  });

  it('then shows every personal field as erased on every read path, and nothing else changed', () => {
    expectPersonalFields(after, () => ERASED);
    expect(after.kept).toMatchObject({ summary: KEPT.summary, contacts: [{ summary: KEPT.contact }] });
    // The same events, the same ids and hashes: only what readers are shown changed.
    expect(after.history.map((event) => [event.id, event.metadata['hash']])).toEqual(
      before.history.map((event) => [event.id, event.metadata['hash']]),
    );
    expect(after.history.map(asStored)).toEqual(before.history.map(asStored));
    expect(after.view).toEqual(erasedCopy(before.view));
    expect(after.withdrawn).toEqual(erasedCopy(before.withdrawn));
    expect(after.state).toEqual(erasedCopy(before.state));
    for (const text of [JSON.stringify(after), after.ndjsonText, after.exportText])
      for (const plaintext of PLAINTEXTS) expect(text).not.toContain(plaintext);
  });

  it('keeps the chain valid: verify over HTTP and on the command line, and re-verified offline from history and export', async () => {
    expect(after.verify).toMatchObject({ valid: true, events: after.history.length });
    expect(after.verify).toEqual(before.verify);
    for (const events of [after.history, after.historyNdjson, after.exportLines]) {
      expect(verifyOffline(scenario.erasedCase, events)).toEqual({ valid: true, events: after.history.length });
    }
    const cli = await runCli(['verify'], cliEnv(server));
    expect({ code: cli.code, stdout: cli.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/, 0 broken\n$/) });
  });

  it('leaves the analytics byte for byte as they were, JSON and CSV', () => {
    expect(after.loyaltyJson).toBe(before.loyaltyJson);
    expect(after.loyaltyCsv).toBe(before.loyaltyCsv);
    expect(
      JSON.parse(after.loyaltyJson).rows.find((row: { cohort: string }) => row.cohort === 'recovered')?.customers,
    ).toBeGreaterThanOrEqual(1);
  });

  it('answers a second erasure the same, appending nothing', async () => {
    const again = await expectNothingAppendedDuring(server, () =>
      server.request('DELETE', `/customers/${scenario.subject}/personal-data`, { headers: ADMIN }),
    );
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: erasure.body });
  });

  it('refuses every role but admin, and a customer it has no record of', async () => {
    for (const role of ['agent', 'supervisor', 'auditor', 'analyst']) {
      expectProblem(
        await server.request('DELETE', `/customers/${scenario.subject}/personal-data`, {
          headers: { 'X-Actor-Id': `${role}-1`, 'X-Actor-Role': role },
        }),
        403,
      );
    }
    expectProblem(
      await expectNothingAppendedDuring(server, () =>
        server.request('DELETE', '/customers/nobody-at-all/personal-data', { headers: ADMIN }),
      ),
      404,
    );
  });

  it('holds the plaintext in no byte of the event log, the read models or the key store', async () => {
    expectNoPlaintextIn(filesBytes(server.dataDir, EVENT_LOG_AND_KEYS));
    expectNoPlaintextIn(await readModelRows(server));
  });
}

describe('erasing a customer’s personal data, SQLite read store', () => {
  erasureOverHttp(
    () => ({}),
    async (server) => filesBytes(server.dataDir, ['read-models.db']),
  );

  it('also holds no plaintext once the service stopped and every file was checkpointed', async () => {
    const server = await startTestServer();
    const scenario = await writeScenario(server, 'stopped');
    expect((await server.request('DELETE', `/customers/${scenario.subject}/personal-data`, { headers: ADMIN })).status).toBe(200);
    expect((await server.get(`/cases/${scenario.erasedCase}?minPosition=${scenario.lastPosition}`)).body.summary).toBe(ERASED);
    const dataDir = mkdtempSync(join(tmpdir(), 'redress-erasure-stopped-'));
    try {
      const restarted = await startTestServer({ dataDir });
      const again = await writeScenario(restarted, 'restart');
      expect((await restarted.request('DELETE', `/customers/${again.subject}/personal-data`, { headers: ADMIN })).status).toBe(200);
      await restarted.close();
      expectNoPlaintextIn(filesBytes(dataDir, [...EVENT_LOG_AND_KEYS, 'read-models.db']));
      const reopened = await startTestServer({ dataDir });
      try {
        expect((await reopened.get(`/cases/${again.erasedCase}`)).body).toMatchObject({ summary: ERASED, contact: { email: ERASED } });
        expect((await reopened.get(`/cases/${again.keptCase}`)).body).toMatchObject({ summary: KEPT.summary });
        expect((await reopened.get(`/cases/${again.erasedCase}/verify`, AUDITOR)).body).toMatchObject({ valid: true });
      } finally {
        await reopened.close();
      }
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describeWithPostgres('erasing a customer’s personal data, PostgreSQL read store', () => {
  const schema = useTemporarySchemas()();
  erasureOverHttp(
    () => ({ READ_STORE_URL: postgresUrl(), READ_STORE_SCHEMA: schema }),
    async () => {
      const client = new Client({ connectionString: postgresUrl() });
      await client.connect();
      try {
        const tables = (
          await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema])
        ).rows.map((row) => row.table_name);
        expect(tables).toContain('case_views');
        const documents = (await client.query<{ document: string }>(`SELECT document FROM "${schema}".case_views`)).rows;
        expect(documents.length).toBeGreaterThanOrEqual(3);
        expect(documents.some((row) => row.document.includes('"summary":"pd1.'))).toBe(true);
        const dumps: Array<[string, Buffer]> = [];
        for (const table of tables) {
          const rows = (await client.query(`SELECT * FROM "${schema}"."${table}"`)).rows;
          dumps.push([`${schema}.${table}`, Buffer.from(JSON.stringify(rows), 'utf8')]);
        }
        return dumps;
      } finally {
        await client.end();
      }
    },
  );
});
