/**
 * A desk's morning, built by hand so every queue can be worked out on paper. The clock stands still at NOW, Tuesday
 * 10 March 2026, 12:00 UTC: London is on GMT (UTC), New York on EDT since 8 March (UTC−4), Sydney on AEDT (UTC+11).
 * "Today" is therefore [10th 00:00, 11th 00:00) UTC for default and FCA, [10th 04:00, 11th 04:00) UTC for CFPB, and
 * [9th 13:00, 10th 13:00) UTC for ASIC.
 *
 * | case | regime | received       | what happened                              | next open deadline              | team | agent   | severity |
 * |------|--------|----------------|--------------------------------------------|---------------------------------|------|---------|----------|
 * | A    | default| 9th 10:00      | assigned, assessed high, tagged vip        | acknowledgement 10th 10:00 (late) | t1 | agent-7 | high     |
 * | B    | default| 10th 08:00     | routed to t1, flagged vulnerable (health)  | acknowledgement 11th 08:00      | t1   | —       | —        |
 * | C    | CFPB   | 24 Feb 02:00   | acknowledged, assigned                     | substantive 11th 02:00 (NY today) | t2 | agent-9 | low      |
 * | D    | ASIC   | 9th 13:30      | routed to t2, assessed critical, tagged vip| acknowledgement 10th 13:30 (Sydney: 11th) | t2 | — | critical |
 * | E    | FCA    | 2nd 09:00      | acknowledged, assigned, assessed, plan sent| final response 27 Apr 09:00     | —    | agent-7 | medium   |
 * | F    | default| 10th 11:00     | a refund above the agent's limit           | acknowledgement 11th 11:00      | —    | —       | —        |
 * | G    | default| 1st 09:00      | withdrawn                                  | none                            | —    | —       | —        |
 */
import { SteppingClock } from '../../support/stepping-clock';
import { startTestServer, type TestServer } from '../../support/test-server';
import { act, agent, receive, supervisor } from '../../support/case-scenarios';

export const NOW = '2026-03-10T12:00:00.000Z';
export const SERVER_ENV = { DEADLINE_CHECK_INTERVAL_MS: '86400000' };
export type Name = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';

export interface Desk {
  server: TestServer;
  ids: Record<Name, string>;
  names: Map<string, Name>;
  position: number;
}

const received = (name: Name, regime: string, receivedAt: string) => ({
  customerId: `cust-${name}`,
  channel: 'email',
  summary: `Complaint ${name}`,
  regime,
  receivedAt,
});
const assessment = (severity: string) => ({
  category: 'delivery',
  severity,
  justified: 'yes',
  rootCause: 'one-off',
  findings: 'Checked',
});

export async function seedDesk(env: Record<string, string> = {}): Promise<Desk> {
  const server = await startTestServer({ clock: new SteppingClock(NOW), env: { ...SERVER_ENV, ...env } });
  const ids = {} as Record<Name, string>;
  let position = 0;
  const open = async (name: Name, regime: string, at: string) => {
    const result = await receive(server, received(name, regime, at));
    ids[name] = result.caseId;
    position = result.position;
  };
  const step = async (name: Name, action: string, body: unknown, headers = agent) => {
    position = (await act(server, ids[name], action, body, headers)).position;
  };
  await open('A', 'default', '2026-03-09T10:00:00.000Z');
  await step('A', 'assign', { agentId: 'agent-7', team: 't1' });
  await step('A', 'assess', assessment('high'));
  await step('A', 'tags', { tag: 'vip' });
  await open('B', 'default', '2026-03-10T08:00:00.000Z');
  await step('B', 'route', { team: 't1' });
  await step('B', 'vulnerability', { reason: 'health', note: 'Hospital stay' });
  await open('C', 'CFPB', '2026-02-24T02:00:00.000Z');
  await step('C', 'acknowledge', { channel: 'email', message: 'Got it' });
  await step('C', 'assign', { agentId: 'agent-9', team: 't2' });
  await step('C', 'assess', assessment('low'));
  await open('D', 'ASIC', '2026-03-09T13:30:00.000Z');
  await step('D', 'route', { team: 't2' });
  await step('D', 'assess', assessment('critical'));
  await step('D', 'tags', { tag: 'vip' });
  await open('E', 'FCA', '2026-03-02T09:00:00.000Z');
  await step('E', 'acknowledge', { channel: 'email', message: 'Got it' });
  await step('E', 'assign', { agentId: 'agent-7' });
  await step('E', 'assess', assessment('medium'));
  await step('E', 'plan', { actions: ['Refund'], dueBy: '2026-03-20T12:00:00.000Z' });
  await open('F', 'default', '2026-03-10T11:00:00.000Z');
  await step('F', 'goodwill', { kind: 'full-refund', amount: 99_999, currency: 'GBP' });
  await open('G', 'default', '2026-03-01T09:00:00.000Z');
  await step('G', 'withdraw', { reason: 'Sorted' }, supervisor);
  const names = new Map((Object.entries(ids) as Array<[Name, string]>).map(([name, id]) => [id, name]));
  return { server, ids, names, position };
}
