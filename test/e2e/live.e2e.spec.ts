import { ClientRequest, IncomingMessage, get } from 'node:http';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { startTestServer, TestServer } from '../support/test-server';
import {
  agent,
  contact,
  eventsOf,
  expectFieldErrors,
  expectProblem,
  openCase,
  RecordedEventBody,
  succeed,
  validAssessment,
  withTestServer,
} from './e2e-helpers';

interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A Server-Sent Events client on Node's own http module: parses the stream as it arrives into frames (id, event,
 * data) and comments, and lets a test wait, with a deadline, for what it expects to have arrived.
 */
class SseClient {
  readonly frames: SseFrame[] = [];
  readonly comments: string[] = [];
  ended = false;
  private buffer = '';
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        this.parse(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
      }
      this.notify();
    });
    const finish = () => {
      this.ended = true;
      this.notify();
    };
    response.on('end', finish);
    response.on('close', finish);
    response.on('error', finish);
  }

  get ids(): string[] {
    return this.frames.map((frame) => frame.id ?? '');
  }

  /** Resolves once `condition` holds; fails after `timeoutMs`, or when the stream ends first, saying what did arrive. */
  waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) {
          done();
          resolve();
        } else if (this.ended) {
          done();
          reject(
            new Error(
              `The stream ended before ${what}; received ids ${JSON.stringify(this.ids)}, comments ${JSON.stringify(this.comments)}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `Waited ${timeoutMs} ms for ${what}; received ids ${JSON.stringify(this.ids)}, comments ${JSON.stringify(this.comments)}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** Waits until the frames reach `count` in total. */
  waitForFrames(count: number, timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.frames.length >= count, `${count} frames`, timeoutMs);
  }

  /** Waits for `n` keep-alive comments more than already received. */
  waitForKeepAlives(n: number, timeoutMs?: number): Promise<void> {
    const target = this.keepAlives + n;
    return this.waitFor(() => this.keepAlives >= target, `${n} more keep-alive comments`, timeoutMs);
  }

  get keepAlives(): number {
    return this.comments.filter((comment) => comment === 'keep-alive').length;
  }

  close(): void {
    this.request.destroy();
  }

  private parse(block: string): void {
    const frame: SseFrame = { data: '' };
    const data: string[] = [];
    let fields = 0;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).replace(/^ /, ''));
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      fields += 1;
      if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
      else if (field === 'data') data.push(value);
    }
    if (fields === 0) return;
    frame.data = data.join('\n');
    this.frames.push(frame);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

interface Opened {
  status: number;
  contentType: string;
  /** The live stream, for a 200. */
  client?: SseClient;
  /** The parsed problem, for anything else. */
  body?: any;
}

/** Opens GET `path` on a real socket; for a 200 returns the live client as soon as the headers arrive. */
async function openLive(server: TestServer, path: string, headers: Record<string, string> = {}): Promise<Opened> {
  const authorization = await server.authorization({ sub: 'agent-7', role: 'agent' });
  return new Promise((resolve, reject) => {
    const request = get(server.url + path, { headers: { Accept: 'text/event-stream', ...authorization, ...headers } }, (response) => {
      const status = response.statusCode ?? 0;
      const contentType = String(response.headers['content-type'] ?? '');
      if (status === 200) {
        resolve({ status, contentType, client: new SseClient(request, response) });
        return;
      }
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status, contentType, body: text ? JSON.parse(text) : undefined }));
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error(`No response to GET ${path} in 10 s`)));
  });
}

/** Opens a live stream that must be accepted, and waits for its opening comment (the subscription is then in place). */
async function connect(server: TestServer, caseId: string, headers: Record<string, string> = {}, query = ''): Promise<SseClient> {
  const opened = await openLive(server, `/cases/${caseId}/live${query}`, headers);
  if (!opened.client) throw new Error(`GET /cases/${caseId}/live answered ${opened.status}: ${JSON.stringify(opened.body)}`);
  const client = opened.client;
  await client.waitFor(() => client.comments.some((comment) => comment.startsWith('live events')), 'the opening comment');
  return client;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not complete in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('GET /cases/:caseId/live (Server-Sent Events)', () => {
  const clients: SseClient[] = [];
  const track = (client: SseClient) => {
    clients.push(client);
    return client;
  };

  const server = withTestServer({ env: { LIVE_KEEPALIVE_MS: '200' } });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('sends each event appended after connecting, in order, with id = revision, event = type and the event as data', async () => {
    const { caseId } = await openCase(server);
    const opened = await openLive(server, `/cases/${caseId}/live`);
    expect(opened.status).toBe(200);
    expect(opened.contentType).toMatch(/^text\/event-stream\b/);
    const live = track(opened.client!);
    await live.waitFor(() => live.comments.some((comment) => comment.startsWith('live events')), 'the opening comment');

    await succeed(server, caseId, 'acknowledge', { channel: 'email', message: 'On it' });
    await succeed(server, caseId, 'log-contact', contact('Called'));
    await succeed(server, caseId, 'assign', { agentId: 'agent-7' });
    await succeed(server, caseId, 'goodwill', { kind: 'credit', amount: 20_000, currency: 'GBP' }); // two events
    await live.waitForFrames(5);

    const events = await eventsOf(server, caseId);
    expect(live.ids).toEqual(['1', '2', '3', '4', '5']);
    expect(live.frames.map((frame) => frame.event)).toEqual(events.slice(1).map((event) => event.type));
    expect(live.frames.map((frame) => JSON.parse(frame.data) as RecordedEventBody)).toEqual(events.slice(1));

    // Nothing repeated or extra: the next event is the very next frame.
    await succeed(server, caseId, 'assess', validAssessment);
    await live.waitForFrames(6);
    await live.waitForKeepAlives(1);
    expect(live.ids).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(live.frames[5].event).toBe('ComplaintAssessed');
  });

  it('resumes after Last-Event-ID with every later event, none missing or repeated, also for events appended while disconnected', async () => {
    const { caseId } = await openCase(server);
    const first = track(await connect(server, caseId));
    await succeed(server, caseId, 'acknowledge', { channel: 'email', message: 'On it' });
    await succeed(server, caseId, 'log-contact', contact('Called'));
    await first.waitForFrames(2);
    const lastSeen = first.frames[first.frames.length - 1].id!;
    expect(lastSeen).toBe('2');
    first.close();

    await succeed(server, caseId, 'assign', { agentId: 'agent-7' });
    await succeed(server, caseId, 'log-contact', contact('Called again'));
    await succeed(server, caseId, 'assess', validAssessment);

    const resumed = track(await connect(server, caseId, { 'Last-Event-ID': lastSeen }));
    await resumed.waitForFrames(3);
    await succeed(server, caseId, 'apologize', { channel: 'email', message: 'Sorry' });
    await resumed.waitForFrames(4);
    await resumed.waitForKeepAlives(1);
    expect(resumed.ids).toEqual(['3', '4', '5', '6']);
    expect(resumed.frames.map((frame) => frame.event)).toEqual([
      'CaseAssigned',
      'CustomerContactLogged',
      'ComplaintAssessed',
      'ApologyIssued',
    ]);

    // The query parameter, for clients that cannot set headers; and 0 resumes after the first event.
    const byQuery = track(await connect(server, caseId, {}, '?lastEventId=4'));
    await byQuery.waitForFrames(2);
    const fromStart = track(await connect(server, caseId, { 'Last-Event-ID': '0' }));
    await fromStart.waitForFrames(6);
    await succeed(server, caseId, 'log-contact', contact('Final call'));
    await byQuery.waitForFrames(3);
    await fromStart.waitForFrames(7);
    await byQuery.waitForKeepAlives(1);
    await fromStart.waitForKeepAlives(1);
    expect(byQuery.ids).toEqual(['5', '6', '7']);
    expect(fromStart.ids).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('sends a keep-alive comment every LIVE_KEEPALIVE_MS', async () => {
    const { caseId } = await openCase(server);
    const live = track(await connect(server, caseId));
    await live.waitForKeepAlives(3, 5000);
    expect(live.frames).toEqual([]);
  });

  it('answers 404 with a problem for an unknown case', async () => {
    const opened = await openLive(server, '/cases/no-such-case/live');
    expect(opened.status).toBe(404);
    expect(opened.contentType).toMatch(/^application\/problem\+json\b/);
    expect(opened.body).toMatchObject({ status: 404, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    expectProblem(await server.get('/cases/no-such-case/live'), 404, '/cases/no-such-case/live');
  });

  it('answers 400 naming Last-Event-ID for one that is not a revision', async () => {
    const { caseId } = await openCase(server);
    const refused = async (headers: Record<string, string>, query = '') => {
      // Opened on a raw socket so that a wrongly accepted stream fails the test instead of hanging it.
      const opened = await openLive(server, `/cases/${caseId}/live${query}`, headers);
      opened.client?.close();
      expect({ headers, query, status: opened.status }).toEqual({ headers, query, status: 400 });
      expect(opened.contentType).toMatch(/^application\/problem\+json\b/);
      expect(opened.body.errors.map((error: { field: string }) => error.field)).toContain('Last-Event-ID');
    };
    for (const bad of ['abc', '-1', '1.5', '1e3', '0x1']) await refused({ 'Last-Event-ID': bad });
    await refused({}, '?lastEventId=abc');
    await refused({}, '?lastEventId=-2');
    expectFieldErrors(await server.get(`/cases/${caseId}/live`, { 'Last-Event-ID': 'abc' }), ['Last-Event-ID']);
  });

  it('never silently skips events for a Last-Event-ID beyond the case’s last revision: refused, or later events still sent', async () => {
    const { caseId } = await openCase(server);
    const opened = await openLive(server, `/cases/${caseId}/live`, { 'Last-Event-ID': '99' });
    if (opened.status !== 200) {
      expect(opened.status).toBe(400);
      expect(opened.body.errors.map((error: { field: string }) => error.field)).toContain('Last-Event-ID');
      return;
    }
    const live = track(opened.client!);
    await live.waitFor(() => live.comments.some((comment) => comment.startsWith('live events')), 'the opening comment');
    await succeed(server, caseId, 'acknowledge', { channel: 'email', message: 'On it' });
    await live.waitForKeepAlives(2);
    expect({ idsAfterAnAppend: live.ids }).toEqual({ idsAfterAnAppend: ['1'] });
  });

  it('survives clients that disconnect: commands, queries and other live streams carry on', async () => {
    const { caseId } = await openCase(server);
    const leaving = [await connect(server, caseId), await connect(server, caseId), await connect(server, caseId, { 'Last-Event-ID': '0' })];
    const staying = track(await connect(server, caseId));
    for (const client of leaving) client.close();
    // Append at once, while the server may still be writing to the closed connections.
    await succeed(server, caseId, 'acknowledge', { channel: 'email', message: 'On it' });
    await succeed(server, caseId, 'assign', { agentId: 'agent-7' });
    await staying.waitForFrames(2);
    // Let the closed streams' keep-alive timers fire several times over.
    await staying.waitForKeepAlives(3);
    const response = await server.post(`/cases/${caseId}/log-contact`, contact('Still here'), agent);
    expect(response.status).toBe(200);
    expect((await server.get(`/cases/${caseId}?minPosition=${response.body.position}`)).body.revision).toBe(3);
    await staying.waitForFrames(3);
    expect(staying.ids).toEqual(['1', '2', '3']);
    const fresh = track(await connect(server, caseId, { 'Last-Event-ID': '2' }));
    await fresh.waitForFrames(1);
    expect(fresh.ids).toEqual(['3']);
    expect((await server.get('/health')).status).toBe(200);
  });
});

describe('shutting down with live streams open', () => {
  it('ends the streams and closes the server promptly', async () => {
    const server = await startTestServer({ env: { LIVE_KEEPALIVE_MS: '100' } });
    let closed = false;
    try {
      const { caseId } = await openCase(server);
      const first = await connect(server, caseId);
      const second = await connect(server, caseId, { 'Last-Event-ID': '0' });
      await first.waitForKeepAlives(1);
      await withTimeout(server.close(), 10_000, 'server.close() with two live streams open');
      closed = true;
      await first.waitFor(() => first.ended, 'the end of the first stream');
      await second.waitFor(() => second.ended, 'the end of the second stream');
    } finally {
      if (!closed) await server.close().catch(() => undefined);
    }
  });
});

describe('the keep-alive interval', () => {
  it('is 15 s unless LIVE_KEEPALIVE_MS says otherwise, and at least 100 ms', () => {
    expect(loadConfig({}).liveKeepAliveMs).toBe(15_000);
    expect(loadConfig({ LIVE_KEEPALIVE_MS: '100' }).liveKeepAliveMs).toBe(100);
    expect(() => loadConfig({ LIVE_KEEPALIVE_MS: '99' })).toThrow(ConfigError);
    expect(() => loadConfig({ LIVE_KEEPALIVE_MS: 'soon' })).toThrow(/LIVE_KEEPALIVE_MS/);
  });
});
