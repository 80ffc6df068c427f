import pino from 'pino';
import type { Clock } from '../../src/core/clock';
import { createRootLogger } from '../../src/observability/logging';
import { PERSONAL_FIELDS } from '../../src/personal-fields';
import { validComplaint, withTestServer } from './e2e-helpers';

interface LogLine {
  level: string;
  time: string;
  msg: string;
  correlationId?: string;
  method?: string;
  route?: string | null;
  status?: number;
  durationMs?: number;
  actorId?: string | null;
  context?: string;
  err?: { type: string; message: string; stack: string };
}

/** What an operator reads: one JSON line per request, correlated with the client's X-Correlation-Id. */
describe('structured logs', () => {
  let failing = false;
  const written: string[] = [];
  const lines = () => written.map((line) => JSON.parse(line) as LogLine);
  const clock: Clock = {
    now: () => {
      if (failing) throw new Error('disk on fire');
      return new Date();
    },
  };

  const server = withTestServer({ clock, env: { LOG_LEVEL: 'info' }, logDestination: { write: (line) => void written.push(line) } });
  beforeEach(() => {
    written.length = 0;
  });

  it('writes one JSON line per request with the correlation id the client sent, echoed back', async () => {
    const created = await server.post('/cases', validComplaint, { 'X-Correlation-Id': 'trace-me-1', 'X-Actor-Id': 'agent-7' });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-correlation-id')).toBe('trace-me-1');
    const requestLines = lines().filter((line) => line.correlationId === 'trace-me-1');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/cases',
      status: 201,
      actorId: 'agent-7',
      durationMs: expect.any(Number),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(requestLines[0].err).toBeUndefined();
    // The correlation id is the one recorded on the events.
    const events = await server.get(`/cases/${created.body.caseId}/events`);
    expect(events.body[0].metadata.correlationId).toBe('trace-me-1');
  });

  it('generates a correlation id when the client sends none (or a malformed one), on problems too, with the route pattern', async () => {
    const missing = await server.get('/cases/no-such-case');
    expect(missing.status).toBe(404);
    const generated = missing.headers.get('x-correlation-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines().find((line) => line.correlationId === generated)).toMatchObject({ route: '/cases/:caseId', status: 404 });

    const anonymous = await server.request('GET', '/cases', { anonymous: true, headers: { 'X-Correlation-Id': 'bad id with spaces' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs a failure at error level with its stack and the request fields, and never answers the stack', async () => {
    failing = true;
    try {
      const failed = await server.post('/cases', validComplaint, { 'X-Correlation-Id': 'fails-1' });
      expect(failed.status).toBe(500);
      expect(failed.headers.get('x-correlation-id')).toBe('fails-1');
      expect(JSON.stringify(failed.body)).not.toMatch(/disk on fire|at .*\.ts/);
    } finally {
      failing = false;
    }
    const line = lines().find((entry) => entry.correlationId === 'fails-1');
    expect(line).toMatchObject({ level: 'error', method: 'POST', route: '/cases', status: 500, err: { message: 'disk on fire' } });
    expect(line!.err!.stack).toMatch(/disk on fire\n\s+at /);
  });

  it("gives a component's line written while a request runs that request's correlation id", async () => {
    const created = await server.post('/cases', { ...validComplaint, customerId: 'cust-log-erase' });
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('A photo of the wet parcel, as text.\n')]), 'parcel.txt');
    const uploaded = await fetch(`${server.url}/cases/${created.body.caseId}/attachments`, {
      method: 'POST',
      headers: await server.authorization(),
      body: form,
    });
    expect(uploaded.status).toBe(200);
    const erased = await server.request('DELETE', '/customers/cust-log-erase/personal-data', {
      headers: { 'X-Actor-Id': 'admin-1', 'X-Actor-Role': 'admin', 'X-Correlation-Id': 'erase-1' },
    });
    expect(erased.status).toBe(200);
    const componentLine = lines().find((line) => line.context === 'Attachments');
    expect(componentLine).toMatchObject({ correlationId: 'erase-1', msg: expect.stringMatching(/1 attachment file\(s\) removed/) });
  });

  it('notes a client that leaves before its answer at info, not as an error', async () => {
    const created = await server.post('/cases', validComplaint);
    const abort = new AbortController();
    const live = await fetch(`${server.url}/cases/${created.body.caseId}/live`, {
      headers: { ...(await server.authorization()), 'x-correlation-id': 'leaves-1' },
      signal: abort.signal,
    });
    await live.body!.getReader().read();
    abort.abort();
    for (let tries = 0; !lines().some((line) => line.correlationId === 'leaves-1'); tries++) {
      if (tries > 100) throw new Error('the aborted request was not logged');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const logged = lines().filter((line) => line.correlationId === 'leaves-1');
    expect(logged).toEqual([
      expect.objectContaining({ level: 'info', msg: 'request aborted by the client', route: '/cases/:caseId/live' }),
    ]);
  });

  it('never writes the bearer token or a customer contact', async () => {
    const token = await server.token({ sub: 'agent-9', role: 'agent' });
    await server.request('POST', '/cases', {
      body: { ...validComplaint, contact: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' } },
      headers: { authorization: `Bearer ${token}` },
    });
    const text = written.join('');
    expect(text).toContain('"actorId":"agent-9"');
    for (const secret of [token, 'Ada Lovelace', 'ada@example.com', '+44 20 7946 0000']) expect(text).not.toContain(secret);
  });
});

describe('the root logger', () => {
  it('redacts secrets and the personal fields events carry, wherever a log call puts them', () => {
    const written: string[] = [];
    const logger = createRootLogger({
      level: 'info',
      format: 'json',
      personalFields: PERSONAL_FIELDS,
      destination: { write: (line) => void written.push(line) },
    });
    logger.info({
      req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'session=1' } },
      event: {
        type: 'ComplaintReceived',
        data: { summary: 'Lamp broke', contact: { name: 'Ada', email: 'ada@example.com', phone: '123' } },
      },
      token: 'abc.def.ghi',
    });
    const line = JSON.parse(written[0]) as {
      req: { headers: Record<string, string> };
      event: { data: Record<string, unknown> };
      token: string;
    };
    expect(line.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]' });
    expect(line.event.data).toEqual({ summary: '[redacted]', contact: { name: '[redacted]', email: '[redacted]', phone: '[redacted]' } });
    expect(line.token).toBe('[redacted]');
  });

  it('honours LOG_LEVEL', () => {
    const written: string[] = [];
    const logger = createRootLogger({
      level: 'warn',
      format: 'json',
      personalFields: {},
      destination: { write: (line) => void written.push(line) },
    });
    logger.info('quiet');
    logger.warn('loud');
    expect(written.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['loud']);
    expect(pino.levels.values[logger.level]).toBe(40);
  });
});
