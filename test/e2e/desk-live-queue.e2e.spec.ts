import { act, agent, receive } from '../support/case-scenarios';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import type { TestServer } from '../support/test-server';
import { withTestServer } from './e2e-helpers';

interface Frame {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads a text/event-stream response as it arrives; `next(predicate)` waits (bounded) for a frame that matches. */
async function openStream(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(server.url + path, {
    headers: { ...(await server.authorization({ sub: 'agent-7', role: 'agent' })), ...headers },
    signal: controller.signal,
  });
  const frames: Frame[] = [];
  const waiters: Array<() => void> = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame: Frame = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            const [field, ...rest] = line.split(': ');
            if (field === 'id' || field === 'event' || field === 'data') frame[field] = rest.join(': ');
          }
          buffer = buffer.slice(end + 2);
          if (frame.event) frames.push(frame);
        }
        waiters.splice(0).forEach((wake) => wake());
      }
    } catch {
      // aborted
    }
  })();
  const next = async (predicate: (frame: Frame) => boolean, what: string): Promise<Frame> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = frames.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`No ${what} within 5 s; frames: ${JSON.stringify(frames)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { response, frames, next, close: () => controller.abort() };
}

function liveQueue(env: () => Record<string, string>): void {
  const server = withTestServer(() => ({ env: { DEADLINE_CHECK_INTERVAL_MS: '86400000', ...env() } }));

  it("pushes a case as it joins the team's queue and each change to it, and says when it leaves", async () => {
    const other = await receive(server, { customerId: 'cust-x', channel: 'email', summary: 'Elsewhere' });
    await act(server, other.caseId, 'route', { team: 'billing' });
    const stream = await openStream(server, '/queues/live?team=deliveries');
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
      const { caseId } = await receive(server, { customerId: 'cust-live', channel: 'email', summary: 'Parcel lost in transit' });
      await act(server, caseId, 'route', { team: 'deliveries' });
      const joined = await stream.next((f) => f.event === 'case' && JSON.parse(f.data!).caseId === caseId, 'case frame on joining');
      expect(JSON.parse(joined.data!)).toMatchObject({ caseId, team: 'deliveries', summary: 'Parcel lost in transit', status: 'received' });

      await act(server, caseId, 'tags', { tag: 'lost' });
      await stream.next((f) => f.event === 'case' && (JSON.parse(f.data!).tags ?? []).includes('lost'), 'case frame with the tag');

      await act(server, caseId, 'route', { team: 'billing' }, agent);
      const left = await stream.next((f) => f.event === 'removed', 'removed frame');
      expect(JSON.parse(left.data!)).toEqual({ caseId });
      // The other team's case never showed on this desk.
      expect(stream.frames.some((f) => f.data?.includes(other.caseId))).toBe(false);
      expect(stream.frames.every((f) => /^\d+$/.test(f.id ?? ''))).toBe(true);
    } finally {
      stream.close();
    }
  });

  it("shows the customer's own vulnerability flag on the cases it pushes, as GET /cases does", async () => {
    const flagged = await server.post('/customers/cust-live-v/vulnerability', { reason: 'capability' }, agent);
    expect(flagged.status).toBe(200);
    const stream = await openStream(server, '/queues/live?team=care');
    try {
      const { caseId } = await receive(server, { customerId: 'cust-live-v', channel: 'phone', summary: 'Confusing bill' });
      await act(server, caseId, 'route', { team: 'care' });
      const pushed = await stream.next((f) => f.event === 'case' && JSON.parse(f.data!).caseId === caseId, 'case frame');
      expect(JSON.parse(pushed.data!)).toMatchObject({ caseId, vulnerable: 'capability' });
    } finally {
      stream.close();
    }
  });

  it('resumes after the Last-Event-ID it was given, sending the changes it missed', async () => {
    const first = await openStream(server, '/queues/live?team=resume');
    const { caseId } = await receive(server, { customerId: 'cust-r', channel: 'email', summary: 'Resume me' });
    await act(server, caseId, 'route', { team: 'resume' });
    const seen = await first.next((f) => f.event === 'case', 'first frame');
    first.close();
    await act(server, caseId, 'tags', { tag: 'missed' });
    const second = await openStream(server, '/queues/live?team=resume', { 'last-event-id': seen.id! });
    try {
      await second.next((f) => f.event === 'case' && (JSON.parse(f.data!).tags ?? []).includes('missed'), 'the missed change');
    } finally {
      second.close();
    }
  });

  it('refuses a malformed team or Last-Event-ID', async () => {
    expect((await server.get('/queues/live?team=a%20b')).status).toBe(400);
    const response = await fetch(`${server.url}/queues/live`, {
      headers: { ...(await server.authorization({ sub: 'agent-7', role: 'agent' })), 'last-event-id': 'yesterday' },
    });
    expect(response.status).toBe(400);
  });
}

describe('GET /queues/live on SQLite: a team desk refreshes without polling', () => {
  liveQueue(() => ({}));
});

describeWithPostgres('GET /queues/live on the PostgreSQL read store', () => {
  const schema = useTemporarySchemas();
  const chosen = schema();
  liveQueue(() => ({ READ_STORE_URL: postgresUrl(), READ_STORE_SCHEMA: chosen }));
});
