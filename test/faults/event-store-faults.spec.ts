/**
 * Fault suite: the EventStoreDB event log goes away under a running service (a real process, on the EventStoreDB
 * adapter, against the gRPC protocol double in this process). While it is down, commands answer 503 (never 500) and
 * readiness names the event store; a write that landed just as the server went away is answered as a replay when the
 * client retries with its Idempotency-Key; the live subscription resumes from its checkpoint; nothing acknowledged is
 * lost and nothing is doubled.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsdbDouble } from '../support/esdb-double';
import { ServiceProcess } from '../support/service-process';
import { Answer, call, pause, until } from './fault-helpers';
import { recordFigure } from './figures';

describe('fault: the EventStoreDB event log goes away', () => {
  let double: EsdbDouble;
  let service: ServiceProcess;
  let dataDir: string;
  /** Every command sent, by Idempotency-Key, with its answers in order: a 503 is retried with the same key. */
  const sent = new Map<string, Answer[]>();

  beforeAll(async () => {
    double = await EsdbDouble.start();
    dataDir = mkdtempSync(join(tmpdir(), 'redress-fault-esdb-'));
    service = await ServiceProcess.start(dataDir, { EVENTSTORE_URL: double.url, HEALTH_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn' });
  }, 90_000);

  afterAll(async () => {
    await service?.crash();
    await double?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const receive = async (key: string = randomUUID()): Promise<Answer> => {
    const answer = await call(service.url, 'POST', '/cases', {
      body: { customerId: 'cust-esdb', channel: 'email', summary: `Complaint ${key}` },
      headers: { 'Idempotency-Key': key },
      timeoutMs: 15_000,
    });
    sent.set(key, [...(sent.get(key) ?? []), answer]);
    return answer;
  };
  const ready = () => call(service.url, 'GET', '/health/ready', { anonymous: true });
  const acknowledged = () =>
    [...sent.values()].filter((answers) => answers.some((answer) => answer.status === 201 || answer.status === 200));

  it('answers commands 503 (not 500) with Retry-After while the event store is down, and readiness names it', async () => {
    for (let index = 0; index < 5; index++) expect((await receive()).status).toBe(201);
    await double.stop();
    const refused = await receive();
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/\/problems\/event-store-unavailable$/) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const health = await until('readiness to fail', async () => {
      const answer = await ready();
      return answer.status === 503 ? answer : undefined;
    });
    expect(health.body.failing).toContain('eventStore');
    expect((await call(service.url, 'GET', '/health/live', { anonymous: true })).status).toBe(200);
    await double.resume();
    await until('readiness to come back', async () => ((await ready()).status === 200 ? true : undefined), 30_000, 200);
    expect((await receive()).status).toBe(201);
    recordFigure('esdb-down', {
      fault: 'EventStoreDB unreachable (server stopped, connections cut), then back',
      outcome: 'commands 503 event-store-unavailable with Retry-After, never 500; /health/ready 503 naming eventStore; recovers by itself',
      figures: [`503 answered in: ${Math.round(refused.ms)} ms`],
    });
  }, 90_000);

  it('answers a command whose write landed as the server went away as a replay on retry: nothing doubled', async () => {
    const key = randomUUID();
    const receivedBefore = double.log.events.filter((event) => event.type === 'ComplaintReceived').length;
    double.dropOnNextAppend();
    const first = await receive(key);
    expect(first.status).toBe(503);
    await double.resume();
    const retried = await until('the retry to be answered', async () => {
      const answer = await receive(key);
      return answer.status === 503 ? undefined : answer;
    });
    expect(retried.status).toBe(201);
    // The write that landed is the one answered: one event for the command, not two.
    expect(double.log.events.filter((event) => event.type === 'ComplaintReceived')).toHaveLength(receivedBefore + 1);
    recordFigure('esdb-mid-append', {
      fault: 'EventStoreDB goes away right after an append landed, before answering',
      outcome: '503 to the client; its retry with the same Idempotency-Key is answered from the log: one event, not two',
      figures: [`retry answered: ${retried.status}`, 'events for the command: 1'],
    });
  }, 60_000);

  it('resumes the live subscription from its checkpoint after drops; the read model has every event once', async () => {
    const statusOf = async () =>
      (await call<Array<{ name: string; subscription?: { state: string; reconnects: number } }>>(service.url, 'GET', '/projections'))
        .body[0].subscription;
    await until('the subscription to be live', async () => ((await statusOf())?.state === 'live' ? true : undefined), 30_000);
    const before = (await statusOf())?.reconnects ?? 0;
    for (let round = 0; round < 3; round++) {
      const writing = Promise.all(Array.from({ length: 5 }, () => receive()));
      await pause(50);
      double.dropSubscriptions();
      await writing;
    }
    await until('the subscription to be live again', async () => ((await statusOf())?.state === 'live' ? true : undefined));
    expect((await statusOf())!.reconnects).toBeGreaterThan(before);
    // Commands that met a drop were answered 503 at worst: retry them with their keys, as a client would.
    for (const [key, answers] of sent) {
      if (answers.some((answer) => answer.status === 201 || answer.status === 200)) continue;
      await until(`command ${key} to be answered`, async () => ((await receive(key)).status === 503 ? undefined : true));
    }
    const done = acknowledged();
    expect([...sent.values()].flat().filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
    // Exactly one ComplaintReceived per key in the log, and every acknowledged case in the read model.
    const received = double.log.events.filter((event) => event.type === 'ComplaintReceived');
    expect(received).toHaveLength(sent.size);
    const head = Math.max(...done.flatMap((answers) => answers.map((answer) => (answer.body as { position?: number }).position ?? 0)));
    for (const answers of done) {
      const { caseId } = answers.find((answer) => answer.status === 201 || answer.status === 200)!.body as { caseId: string };
      const view = await call(service.url, 'GET', `/cases/${caseId}?minPosition=${head}`);
      expect({ caseId, status: view.status, revision: view.body.revision }).toEqual({ caseId, status: 200, revision: 0 });
    }
    const list = await call<{ items: unknown[] }>(service.url, 'GET', `/cases?customerId=cust-esdb&limit=200&minPosition=${head}`);
    expect(list.body.items).toHaveLength(done.length);
    recordFigure('esdb-subscription', {
      fault: 'EventStoreDB live subscription dropped three times while commands were appended',
      outcome: 'it resumes after the last position it saw; every acknowledged command in the read model once, none doubled in the log',
      figures: [`commands acknowledged: ${done.length}`, `events in the log per command: 1`, `lost: 0`],
    });
  }, 90_000);
});
