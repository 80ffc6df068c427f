/**
 * Cases driven over HTTP for the read-side end-to-end specs: every helper goes through the public
 * API and returns what the command responses said (revision, position), so specs can read their
 * writes with `minPosition` instead of sleeping.
 */
import { agent, CommandBody, customer, supervisor } from '../e2e/e2e-helpers';
import { shift } from './stepping-clock';
import type { ApiResponse, TestServer } from './test-server';

export { agent, customer, supervisor };

/** POST /cases that must answer 201. */
export async function receive(
  server: TestServer,
  body: Record<string, unknown>,
  headers: Record<string, string> = agent,
): Promise<CommandBody> {
  const response = await server.post<CommandBody>('/cases', body, headers);
  if (response.status !== 201) throw new Error(`POST /cases answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** POST /cases/:caseId/<action> that must answer 200. */
export async function act(
  server: TestServer,
  caseId: string,
  action: string,
  body: unknown = {},
  headers: Record<string, string> = agent,
): Promise<CommandBody> {
  const response = await server.post<CommandBody>(`/cases/${caseId}/${action}`, body, headers);
  if (response.status !== 200)
    throw new Error(`POST /cases/${caseId}/${action} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** GET that must answer 200, reading at least `minPosition`. */
export async function read<T = any>(server: TestServer, path: string, minPosition: number): Promise<ApiResponse<T>> {
  const separator = path.includes('?') ? '&' : '?';
  const response = await server.get<T>(`${path}${separator}minPosition=${minPosition}`);
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
}

/** The case view, once it reflects `minPosition`. */
export async function readCase(server: TestServer, caseId: string, minPosition: number): Promise<ApiResponse> {
  return read(server, `/cases/${caseId}`, minPosition);
}

/** Every case id of `GET /cases` for a query, following nextCursor to the end. */
export async function listAll(server: TestServer, query: string, minPosition: number): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  do {
    const path: string = `/cases?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { body } = await read<{ items: Array<{ caseId: string }>; nextCursor: string | null }>(server, path, minPosition);
    ids.push(...body.items.map((item) => item.caseId));
    pages.push(body.items.length);
    cursor = body.nextCursor;
    if (pages.length > 100) throw new Error('Paging does not end');
  } while (cursor);
  return { ids, pages };
}

export interface LifecycleCase {
  caseId: string;
  offerIds: { refund: string; coupon: string };
  fixId: string;
  planId: string;
  /** The response of every command, in order. */
  steps: Array<{ action: string; result: CommandBody }>;
  last: CommandBody;
}

/**
 * A complaint walked through everything a case view shows: acknowledgement, contact, assignment,
 * escalation, a systemic assessment, an apology, an accepted plan, a refund over the agent's limit
 * (approved, accepted, fulfilled), a coupon the customer declines, a system fix, a resolution the
 * customer is unhappy with, a reopen, a second resolution, a happy follow-up and closure.
 * `now()` gives the instant commands are decided at (plan and fix dates are set from it).
 */
export async function walkFullLifecycle(server: TestServer, now: () => string, customerId: string): Promise<LifecycleCase> {
  const steps: LifecycleCase['steps'] = [];
  const step = async (action: string, body: unknown, headers: Record<string, string> = agent) => {
    const caseId = steps[0].result.caseId;
    const result = await act(server, caseId, action, body, headers);
    steps.push({ action, result });
    return result;
  };
  const opened = await receive(server, {
    customerId,
    channel: 'email',
    summary: 'Parcel arrived two weeks late',
    details: 'Ordered a birthday present; it came after the birthday.',
    remedySought: 'A refund of the order',
    orderRef: 'ORD-1001',
    orderValue: { amount: 12_999, currency: 'GBP' },
    regime: 'default',
  });
  steps.push({ action: 'receive', result: opened });
  await step('acknowledge', { channel: 'email', message: 'We are on it.' });
  await step('log-contact', { direction: 'outbound', channel: 'phone', summary: 'Called the customer; heard the whole story.' });
  await step('assign', { agentId: 'agent-7', team: 'deliveries' });
  await step('escalate', { reason: 'Third late delivery this month' });
  await step('assess', {
    category: 'delivery',
    severity: 'high',
    justified: 'yes',
    rootCause: 'systemic',
    findings: 'Courier cut-off misconfigured.',
  });
  await step('apologize', { channel: 'email', message: 'We are sorry: we let you down.' });
  const plan = await step('plan', { actions: ['Refund the order', 'Fix the courier cut-off'], dueBy: shift(now(), { days: 7 }) });
  await step('plan-response', { response: 'accepted', comment: 'Sounds fair' }, customer);
  const refund = await step('goodwill', { kind: 'full-refund', amount: 12_999, currency: 'GBP' });
  await step(`goodwill/${refund.offerId}/approve`, { note: 'Justified, systemic' }, supervisor);
  await step(`goodwill/${refund.offerId}/response`, { response: 'accepted' }, customer);
  await step(`goodwill/${refund.offerId}/fulfil`, { reference: 'RFND-778' });
  const coupon = await step('goodwill', { kind: 'coupon', amount: 500, currency: 'EUR', description: '€5 off' });
  await step(`goodwill/${coupon.offerId}/response`, { response: 'declined', comment: 'No thanks' }, customer);
  const fix = await step('system-fix', {
    description: 'Courier cut-off corrected',
    procedureChange: 'Cut-off times are checked weekly',
    effectiveFrom: now(),
    customerNotified: true,
  });
  await step('resolve', { resolution: 'Refunded in full', outcome: 'upheld' });
  await step('follow-up', { satisfied: false, csat: 2, comment: 'Still no present' }, customer);
  await step('reopen', { reason: 'The customer wants the present too' }, customer);
  await step('resolve', { resolution: 'Refunded and sent a replacement', outcome: 'upheld' });
  await step('follow-up', { satisfied: true, csat: 5, nps: 9, comment: 'Impressed' }, customer);
  const last = await step('close', {});
  return {
    caseId: opened.caseId,
    offerIds: { refund: refund.offerId!, coupon: coupon.offerId! },
    fixId: fix['fixId'] as string,
    planId: plan['planId'] as string,
    steps,
    last,
  };
}
