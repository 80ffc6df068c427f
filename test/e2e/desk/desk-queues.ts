import { read } from '../../support/case-scenarios';
import { expectFieldErrors } from '../e2e-helpers';
import { seedDesk, type Desk, type Name } from './desk-dataset';

/** Every queue filter and sort of GET /cases and the summary, against the desk's known answers (desk-dataset.ts). */
export function queuesOverDesk(env: () => Record<string, string>): void {
  let desk: Desk;
  beforeAll(async () => {
    desk = await seedDesk(env());
  }, 60_000);
  afterAll(() => desk?.server.close());

  /** Every case name a query lists, following the cursor two at a time (so every page boundary is crossed). */
  async function names(query: string, headers?: Record<string, string>): Promise<Name[]> {
    const found: Name[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/cases?${query}&limit=2&minPosition=${desk.position}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await desk.server.get<{ items: Array<{ caseId: string }>; nextCursor: string | null }>(path, headers);
      expect(response.status).toBe(200);
      found.push(...response.body.items.map((item) => desk.names.get(item.caseId)!));
      cursor = response.body.nextCursor;
      if (++pages > 20) throw new Error('paging does not end');
    } while (cursor);
    return found;
  }
  const sortedIds = (...cases: Name[]) => cases.map((name) => desk.ids[name]).sort();
  const byId = (cases: Name[], descending = false) => {
    const order = sortedIds(...cases).map((id) => desk.names.get(id)!);
    return descending ? order.reverse() : order;
  };

  it.each<[string, Name[]]>([
    ['team=t1', ['A', 'B']],
    ['team=t2', ['C', 'D']],
    ['assignee=agent-7', ['A', 'E']],
    ['overdue=true', ['A']],
    ['overdue=false', ['B', 'C', 'D', 'E', 'F', 'G']],
    ['dueToday=true', ['A', 'C']],
    ['dueBefore=2026-03-11T03:00:00Z', ['A', 'C', 'D']],
    ['dueAfter=2026-03-11T03:00:00Z', ['B', 'E', 'F']],
    ['dueAfter=2026-03-10T13:00:00Z&dueBefore=2026-03-11T09:00:00Z', ['B', 'C', 'D']],
    ['deadlineKind=acknowledgement', ['A', 'B', 'D', 'F']],
    ['deadlineKind=substantive-response', ['C']],
    ['deadlineKind=final-response', ['E']],
    ['vulnerable=true', ['B']],
    ['vulnerable=false', ['A', 'C', 'D', 'E', 'F', 'G']],
    ['tag=vip', ['A', 'D']],
    ['tag=nobody-uses-this', []],
    ['team=t2&tag=vip', ['D']],
    ['team=t1&overdue=true', ['A']],
    ['team=t2&dueToday=true', ['C']],
  ])('GET /cases?%s lists exactly its cases', async (query, expected) => {
    expect((await names(`${query}&sort=receivedAt`)).sort()).toEqual([...expected].sort());
  });

  it('sorts by the next open deadline, soonest first, cases without one last; -dueAt latest first, still last', async () => {
    expect(await names('sort=dueAt')).toEqual(['A', 'D', 'C', 'B', 'F', 'E', 'G']);
    expect(await names('sort=-dueAt')).toEqual(['E', 'F', 'B', 'C', 'D', 'A', 'G']);
  });

  it('sorts by severity: -severity most severe first, unassessed last by id; severity the reverse', async () => {
    expect(await names('sort=-severity')).toEqual(['D', 'A', 'E', 'C', ...byId(['B', 'F', 'G'], true)]);
    expect(await names('sort=severity')).toEqual([...byId(['B', 'F', 'G']), 'C', 'E', 'A', 'D']);
  });

  it('combines filters with a sort and pages through them', async () => {
    expect(await names('team=t1&sort=dueAt')).toEqual(['A', 'B']);
    expect(await names('overdue=false&deadlineKind=acknowledgement&sort=-dueAt')).toEqual(['F', 'B', 'D']);
  });

  it("lists the caller's own cases for assignee=me", async () => {
    expect((await names('assignee=me', { 'X-Actor-Id': 'agent-7', 'X-Actor-Role': 'agent' })).sort()).toEqual(['A', 'E']);
    expect(await names('assignee=me', { 'X-Actor-Id': 'agent-9', 'X-Actor-Role': 'agent' })).toEqual(['C']);
  });

  it('shows team, next deadline, tags and the vulnerability on each summary', async () => {
    const { body } = await read(desk.server, '/cases?team=t1&sort=dueAt', desk.position);
    expect(body.items).toEqual([
      expect.objectContaining({
        caseId: desk.ids.A,
        team: 't1',
        assignee: 'agent-7',
        dueAt: '2026-03-10T10:00:00.000Z',
        dueKind: 'acknowledgement',
        tags: ['vip'],
      }),
      expect.objectContaining({ caseId: desk.ids.B, team: 't1', dueAt: '2026-03-11T08:00:00.000Z', vulnerable: 'health' }),
    ]);
    expect(body.items[1]).not.toHaveProperty('assignee');
  });

  it('counts the queues of the whole desk and of one team', async () => {
    const all = await read(desk.server, '/queues/summary', desk.position);
    expect(all.body).toEqual({
      team: null,
      at: '2026-03-10T12:00:00.000Z',
      counts: { new: 2, unassigned: 3, dueToday: 2, overdue: 1, awaitingCustomer: 1, awaitingApproval: 1 },
    });
    const t1 = await read(desk.server, '/queues/summary?team=t1', desk.position);
    expect(t1.body.counts).toEqual({ new: 1, unassigned: 1, dueToday: 1, overdue: 1, awaitingCustomer: 0, awaitingApproval: 0 });
    const t2 = await read(desk.server, '/queues/summary?team=t2', desk.position);
    expect(t2.body.counts).toEqual({ new: 0, unassigned: 1, dueToday: 1, overdue: 0, awaitingCustomer: 0, awaitingApproval: 0 });
  });

  it('refuses bad queue parameters naming each', async () => {
    expectFieldErrors(await desk.server.get('/cases?dueBefore=tomorrow&overdue=maybe&dueToday=false&deadlineKind=soon&tag=VIP'), [
      'dueBefore',
      'overdue',
      'dueToday',
      'deadlineKind',
      'tag',
    ]);
    expectFieldErrors(await desk.server.get('/cases?sort=priority'), ['sort']);
    expectFieldErrors(await desk.server.get('/queues/summary?team=a%20b'), ['team']);
  });
}
