import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess } from '../support/service-process';
import { ApiResponse } from '../support/test-server';
import {
  agent,
  contact,
  eventsOf,
  expectNothingAppendedDuring,
  RecordedEventBody,
  succeed,
  validComplaint,
  withTestServer,
} from './e2e-helpers';

const observed = (response: ApiResponse) => ({ status: response.status, etag: response.headers.get('etag'), body: response.body });

describe('data survives a graceful restart', () => {
  const server = withTestServer();

  it('keeps every event, answers retries with the original response, and continues the stream', async () => {
    const opened = await server.post('/cases', validComplaint, { ...agent, 'Idempotency-Key': 'restart-open' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const acknowledged = await succeed(
      server,
      caseId,
      'acknowledge',
      { channel: 'email', message: 'On it' },
      { ...agent, 'Idempotency-Key': 'restart-ack' },
    );
    const offered = await succeed(
      server,
      caseId,
      'goodwill',
      { kind: 'credit', amount: 20_000, currency: 'GBP' },
      { ...agent, 'Idempotency-Key': 'restart-offer' },
    );
    const before = await eventsOf(server, caseId);
    expect(before.map((event) => event.type)).toEqual([
      'ComplaintReceived',
      'ComplaintAcknowledged',
      'GoodwillOffered',
      'GoodwillApprovalRequested',
    ]);

    await server.restart();

    expect(await eventsOf(server, caseId)).toEqual(before);
    await expectNothingAppendedDuring(server, async () => {
      expect(observed(await server.post('/cases', validComplaint, { ...agent, 'Idempotency-Key': 'restart-open' }))).toEqual(
        observed(opened),
      );
      expect(
        observed(
          await server.post(
            `/cases/${caseId}/acknowledge`,
            { channel: 'email', message: 'On it' },
            { ...agent, 'Idempotency-Key': 'restart-ack' },
          ),
        ),
      ).toEqual(observed(acknowledged));
      expect(
        observed(
          await server.post(
            `/cases/${caseId}/goodwill`,
            { kind: 'credit', amount: 20_000, currency: 'GBP' },
            { ...agent, 'Idempotency-Key': 'restart-offer' },
          ),
        ),
      ).toEqual(observed(offered));
    });

    // The restarted service decides on the recovered state: the offer still awaits approval.
    const approved = await succeed(
      server,
      caseId,
      `goodwill/${offered.body.offerId}/approve`,
      {},
      { 'X-Actor-Id': 'sup-1', 'X-Actor-Role': 'supervisor' },
    );
    expect(approved.body.revision).toBe(before.length);
    expect(approved.headers.get('etag')).toBe(`"${before.length}"`);
    expect(approved.body.position).toBeGreaterThan(Math.max(...before.map((event) => event.position)));

    await server.restart();
    const after = await eventsOf(server, caseId);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
  });
});

interface Planned {
  readonly key: string;
  readonly path: string;
  readonly body: unknown;
  /** The case the command is on; for POST /cases, filled in from the answer. */
  caseId?: string;
}

interface Acknowledged extends Planned {
  readonly status: number;
  readonly response: { caseId: string; revision: number; position: number };
}

describe('data survives a crash (SIGKILL) of the real service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-crash-'));
  const services: ServiceProcess[] = [];

  afterAll(async () => {
    for (const service of services) await service.crash();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command, without gaps, and lets clients retry the rest safely', async () => {
    const first = await ServiceProcess.start(dataDir);
    services.push(first);

    const caseIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const opened = await first.post(
        '/cases',
        { ...validComplaint, summary: `Crash case ${i}` },
        { ...agent, 'Idempotency-Key': `crash-setup-${i}` },
      );
      expect(opened.status).toBe(201);
      caseIds.push(opened.body.caseId);
    }

    // A burst far longer than the time to the kill, so commands are in flight when it lands.
    const plan: Planned[] = Array.from({ length: 2_000 }, (_, n) =>
      n % 10 === 9
        ? { key: `crash-open-${n}`, path: '/cases', body: { ...validComplaint, summary: `Opened in the burst ${n}` } }
        : {
            key: `crash-contact-${n}`,
            path: `/cases/${caseIds[n % 3]}/log-contact`,
            body: contact(`Burst call ${n}`),
            caseId: caseIds[n % 3],
          },
    );
    const acknowledged: Acknowledged[] = [];
    const unanswered: Planned[] = [];
    const killAfter = 60;
    let next = 0;

    const worker = async () => {
      while (next < plan.length) {
        const command = plan[next++];
        let answer: { status: number; body: any };
        try {
          answer = await first.post(command.path, command.body, { ...agent, 'Idempotency-Key': command.key });
        } catch (error) {
          if (!first.killed) throw error;
          unanswered.push(command);
          return;
        }
        expect({ key: command.key, status: answer.status }).toEqual({ key: command.key, status: command.path === '/cases' ? 201 : 200 });
        acknowledged.push({ ...command, caseId: answer.body.caseId, status: answer.status, response: answer.body });
        if (acknowledged.length === killAfter) void first.crash();
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await first.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
    expect(next).toBeLessThan(plan.length);

    const second = await ServiceProcess.start(dataDir);
    services.push(second);

    // Every acknowledged command is there, at the revision and position it was acknowledged with.
    const streams = new Map<string, RecordedEventBody[]>();
    const streamOf = async (caseId: string) => {
      if (!streams.has(caseId)) streams.set(caseId, await second.get<RecordedEventBody[]>(`/cases/${caseId}/events`));
      return streams.get(caseId)!;
    };
    for (const command of acknowledged) {
      const events = await streamOf(command.response.caseId);
      const event = events.find((recorded) => recorded.revision === command.response.revision);
      expect({ key: command.key, event: event && { position: event.position, commandId: event.metadata.commandId } }).toEqual({
        key: command.key,
        event: { position: command.response.position, commandId: command.key },
      });
    }

    // No stream has a gap or a reordering.
    for (const [caseId, events] of streams) {
      expect({ caseId, revisions: events.map((event) => event.revision) }).toEqual({
        caseId,
        revisions: Array.from({ length: events.length }, (_, i) => i),
      });
      const positions = events.map((event) => event.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }

    // Clients retry what got no answer: each retry succeeds, and each command ends up in the log exactly once.
    for (const command of unanswered) {
      const retry = await second.post(command.path, command.body, { ...agent, 'Idempotency-Key': command.key });
      expect({ key: command.key, status: retry.status }).toEqual({ key: command.key, status: command.path === '/cases' ? 201 : 200 });
      command.caseId = retry.body.caseId;
    }
    // And a retry of an acknowledged command is answered as it was before the crash.
    for (const command of acknowledged.slice(0, 10)) {
      const retry = await second.post(command.path, command.body, { ...agent, 'Idempotency-Key': command.key });
      expect(retry.body).toEqual(command.response);
    }
    const keysInLog = new Map<string, number>();
    const touched = new Set([
      ...caseIds,
      ...acknowledged.map((command) => command.response.caseId),
      ...unanswered.map((command) => command.caseId!),
    ]);
    for (const caseId of touched) {
      for (const event of await second.get<RecordedEventBody[]>(`/cases/${caseId}/events`)) {
        const key = String(event.metadata.commandId);
        keysInLog.set(key, (keysInLog.get(key) ?? 0) + 1);
      }
    }
    for (const command of [...acknowledged, ...unanswered])
      expect({ key: command.key, times: keysInLog.get(command.key) }).toEqual({ key: command.key, times: 1 });
  }, 180_000);
});
