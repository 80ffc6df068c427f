/**
 * The demo shop: customers who buy, some of whom complain, handled with varied quality, and spending
 * afterwards according to how their complaint ended. Everything here is a plan of HTTP requests with
 * the instants they happen at; `run-demo.ts` plays them through the real API. Pure and seeded.
 *
 * What is planted (in the window after the period, per cohort, exactly as the analytics define cohorts):
 * mean spend £100.00 for customers without a complaint, £106.00 for recovered ones (6% more, 5.3× the
 * not-recovered), £20.00 for not-recovered ones, £70.00 for open ones; retention 82%, 86%, 35%, 65%.
 * Which complaints end recovered is not planted: it follows from the handling (speed of response,
 * apology or explanation, goodwill, plan, time to resolution), as in the survey the seeds report.
 */
import { uuidV5 } from '../../core/deterministic-id';
import { Random } from './random';

export interface SimulationOptions {
  readonly customers: number;
  /** Length of the cohort period in months; the 90-day window after it is simulated too. */
  readonly months: number;
  readonly seed: number | string;
}

export const SIMULATION_START = '2025-01-06T00:00:00.000Z';
export const WINDOW_DAYS = 90;
export const CURRENCY = 'GBP';

export type Cohort = 'no-complaint' | 'recovered' | 'not-recovered' | 'open' | 'withdrawn';

/** Planted window behaviour per cohort (minor units of GBP over the 90 days). */
export const PLANTED: Readonly<
  Record<Cohort, { meanSpend: number; retention: number; referral: number; churnIfLost: number; repeatComplaint: number }>
> = {
  'no-complaint': { meanSpend: 10_000, retention: 0.82, referral: 0.12, churnIfLost: 0.25, repeatComplaint: 0.02 },
  recovered: { meanSpend: 10_600, retention: 0.86, referral: 0.22, churnIfLost: 0.2, repeatComplaint: 0.04 },
  'not-recovered': { meanSpend: 2_000, retention: 0.35, referral: 0.02, churnIfLost: 0.6, repeatComplaint: 0.12 },
  open: { meanSpend: 7_000, retention: 0.65, referral: 0.06, churnIfLost: 0.3, repeatComplaint: 0.08 },
  withdrawn: { meanSpend: 9_500, retention: 0.8, referral: 0.1, churnIfLost: 0.25, repeatComplaint: 0.02 },
};

export interface PlannedRequest {
  /** The simulated instant: the service's clock is set to it before the request. */
  readonly at: string;
  /** Tie-break for requests at the same instant: the order they were planned in. */
  readonly seq: number;
  readonly method: 'POST';
  readonly url: string;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  /** Who acts; the customer's own answers are recorded by the service desk under an agent's token. */
  readonly actor: { readonly id: string; readonly role: 'agent' | 'supervisor' | 'customer' };
}

export interface SimulationPlan {
  readonly period: { readonly from: string; readonly to: string };
  readonly window: { readonly from: string; readonly to: string };
  /** Requests in the order they are played (by instant, then planning order). */
  readonly requests: readonly PlannedRequest[];
  /** What the plan intends each active customer's cohort to be: the analytics must find the same. */
  readonly cohorts: ReadonlyMap<string, Cohort>;
  readonly systemicFix?: { readonly category: string; readonly effectiveFrom: string };
  /** The instant after the last request: the clock reads it when the report is asked for. */
  readonly end: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AGENTS = ['agent-ann', 'agent-bo', 'agent-cy', 'agent-dee', 'agent-eli'];
const SUPERVISOR = 'sup-sam';
const AGENT_GOODWILL_LIMIT = 5_000;
const CATEGORY_WEIGHTS = { delivery: 35, 'product-quality': 25, billing: 15, service: 15, website: 10 } as const;
type Category = keyof typeof CATEGORY_WEIGHTS;
const FIXED_CATEGORY: Category = 'delivery';
/** Share of would-be complaints of the fixed category that the fix prevents. */
const FIX_EFFECT = 0.65;
const COMPLAINT_PER_ORDER = 0.026;

export function addMonths(instant: string, months: number): string {
  const date = new Date(instant);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}

const iso = (ms: number) => new Date(ms).toISOString();

export function planSimulation(options: SimulationOptions): SimulationPlan {
  if (!Number.isInteger(options.customers) || options.customers < 1) throw new RangeError('customers must be a whole number ≥ 1');
  if (!Number.isInteger(options.months) || options.months < 1) throw new RangeError('months must be a whole number ≥ 1');
  const root = new Random(`redress-demo/${options.seed}`);
  const start = Date.parse(SIMULATION_START);
  const periodEnd = Date.parse(addMonths(SIMULATION_START, options.months));
  const windowEnd = periodEnd + WINDOW_DAYS * DAY;
  const fixAt = Date.parse(addMonths(SIMULATION_START, Math.max(1, Math.floor(options.months / 2))));
  const builder = new RequestBuilder(String(options.seed));
  const customerIds = Array.from({ length: options.customers }, (_, index) => `cust-${String(index + 1).padStart(5, '0')}`);

  // Phase 1: the period. Purchases, and complaints arising from some orders.
  const complaints: Array<{
    customerId: string;
    orderId: string;
    orderValue: number;
    receivedAt: number;
    category: Category;
    rng: Random;
  }> = [];
  for (const customerId of customerIds) {
    const rng = root.fork(customerId);
    const monthlyOrders = rng.uniform(0.5, 1.7);
    const typicalOrder = rng.logNormal(4_000, 0.45);
    let at = start + rng.uniform(0, 28) * DAY;
    let complained = false;
    for (let order = 1; at < periodEnd; order++) {
      const orderId = `ord-${customerId.slice(5)}-${order}`;
      const amount = Math.max(199, Math.round(typicalOrder * rng.logNormal(1, 0.35)));
      builder.purchase(at, customerId, orderId, amount);
      if (!complained && rng.chance(COMPLAINT_PER_ORDER)) {
        const category = rng.weighted(CATEGORY_WEIGHTS);
        const receivedAt = at + rng.uniform(0.5, 10) * DAY;
        const prevented = category === FIXED_CATEGORY && receivedAt >= fixAt && rng.chance(FIX_EFFECT);
        if (!prevented && receivedAt < periodEnd) {
          complained = true;
          complaints.push({ customerId, orderId, orderValue: amount, receivedAt, category, rng: rng.fork(`complaint/${orderId}`) });
        }
      }
      at += Math.max(HOUR, rng.exponential(30 / monthlyOrders) * DAY);
    }
  }

  // The systemic fix: on the last complaint of its category received in the three weeks before it takes effect.
  const fixCase = complaints
    .filter((c) => c.category === FIXED_CATEGORY && c.receivedAt < fixAt - DAY && c.receivedAt >= fixAt - 21 * DAY)
    .sort((a, b) => b.receivedAt - a.receivedAt)[0];

  const cohorts = new Map<string, Cohort>(customerIds.map((id) => [id, 'no-complaint']));
  for (const complaint of complaints) {
    const outcome =
      complaint === fixCase
        ? planFixedCase(builder, complaint, fixAt)
        : planCase(builder, complaint.rng, { ...complaint, periodEnd, lateInPeriod: complaint.receivedAt > periodEnd - 21 * DAY });
    cohorts.set(complaint.customerId, outcome);
  }

  // Phase 2: the window. Spend planted per cohort, exactly on its mean; referrals, churn and repeat complaints by chance.
  const windowRng = root.fork('window');
  const byCohort = new Map<Cohort, string[]>();
  for (const id of customerIds) byCohort.set(cohorts.get(id)!, [...(byCohort.get(cohorts.get(id)!) ?? []), id]);
  for (const [cohort, members] of byCohort) {
    const planted = PLANTED[cohort];
    const rng = windowRng.fork(cohort);
    // Stratified: exactly round(n × retention) members buy again, spread evenly through the cohort.
    const offset = rng.next();
    const retained = members.filter(
      (_, k) => Math.floor((k + 1) * planted.retention + offset) > Math.floor(k * planted.retention + offset),
    );
    // Spend varies between customers (a skewed spread) but sums to the cohort's planted total.
    const phase = rng.next();
    const weights = retained.map((_, j) => 0.4 + 0.6 * -Math.log(1 - ((phase + j * 0.6180339887498949) % 1)));
    const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
    const total = planted.meanSpend * members.length;
    let planned = 0;
    retained.forEach((customerId, j) => {
      const spend = j === retained.length - 1 ? total - planned : Math.round((total * weights[j]) / totalWeight);
      planned += spend;
      planWindowPurchases(builder, rng, customerId, spend, periodEnd, windowEnd);
    });
    const retainedSet = new Set(retained);
    for (const customerId of members) {
      if (rng.chance(planted.referral)) builder.referral(periodEnd + rng.uniform(0, WINDOW_DAYS - 1) * DAY, customerId);
      if (!retainedSet.has(customerId) && rng.chance(planted.churnIfLost))
        builder.churn(periodEnd + rng.uniform(5, WINDOW_DAYS - 1) * DAY, customerId);
      if (rng.chance(planted.repeatComplaint)) {
        const receivedAt = periodEnd + rng.uniform(1, WINDOW_DAYS - 30) * DAY;
        planCase(builder, rng.fork(`repeat/${customerId}`), {
          customerId,
          orderId: `ord-${customerId.slice(5)}-repeat`,
          orderValue: rng.integer(1_000, 8_000),
          receivedAt,
          category: rng.weighted(CATEGORY_WEIGHTS),
          periodEnd: windowEnd,
          lateInPeriod: false,
        });
      }
    }
  }

  const requests = builder.sorted();
  const last = requests.length === 0 ? windowEnd : Math.max(windowEnd, Date.parse(requests[requests.length - 1].at));
  return {
    period: { from: iso(start), to: iso(periodEnd) },
    window: { from: iso(periodEnd), to: iso(windowEnd) },
    requests,
    cohorts,
    ...(fixCase ? { systemicFix: { category: FIXED_CATEGORY, effectiveFrom: iso(fixAt) } } : {}),
    end: iso(last + DAY),
  };
}

function planWindowPurchases(builder: RequestBuilder, rng: Random, customerId: string, spend: number, from: number, to: number): void {
  const count = Math.max(1, Math.min(spend < 300 ? 1 : rng.integer(1, 4), Math.floor(spend / 100) || 1));
  const times = Array.from({ length: count }, () => from + rng.uniform(0, (to - from) / DAY - 0.01) * DAY).sort((a, b) => a - b);
  const cuts = Array.from({ length: count - 1 }, () => rng.next()).sort((a, b) => a - b);
  let previous = 0;
  times.forEach((at, index) => {
    const until = index === count - 1 ? spend : Math.round(spend * cuts[index]);
    builder.purchase(at, customerId, `ord-${customerId.slice(5)}-w${index + 1}`, until - previous);
    previous = until;
  });
}

interface ComplaintSeed {
  customerId: string;
  orderId: string;
  orderValue: number;
  receivedAt: number;
  category: Category;
  /** Steps may run past this (handling continues into the window); it only makes late complaints likelier to stay open. */
  periodEnd: number;
  lateInPeriod: boolean;
}

type Justified = 'yes' | 'partly' | 'no';

/** One complaint's handling, step by step; returns how it ends for the loyalty cohorts. */
function planCase(builder: RequestBuilder, rng: Random, seed: ComplaintSeed): Cohort {
  const c = builder.openCase(seed, rng);
  const t0 = seed.receivedAt;
  const agent = AGENTS[rng.integer(0, AGENTS.length - 1)];
  const path = rng.weighted({ normal: 88, withdrawn: 3, stalled: seed.lateInPeriod ? 30 : 5, unresponsive: 4 });

  // Response time: the quality that matters most.
  const tier = rng.weighted({ '0-1h': 25, '1-24h': 35, '1-3d': 20, '3-7d': 12, '7d+': 8 });
  const responseDelay =
    {
      '0-1h': rng.uniform(0.1, 1),
      '1-24h': rng.uniform(1.05, 24),
      '1-3d': rng.uniform(24.5, 72),
      '3-7d': rng.uniform(73, 168),
      '7d+': rng.uniform(170, 330),
    }[tier] * HOUR;
  const ackRoll = rng.weighted({ prompt: 85, late: 10, never: 5 });
  const ackDelay = ackRoll === 'prompt' ? rng.uniform(0.05, 20) * HOUR : ackRoll === 'late' ? rng.uniform(36, 96) * HOUR : undefined;
  if (ackDelay !== undefined)
    c.step(
      t0 + Math.min(ackDelay, responseDelay * 0.9),
      'acknowledge',
      { channel: c.channel, message: 'We have your complaint and will come back to you soon.' },
      agent,
    );

  if (path === 'withdrawn') {
    const at = t0 + rng.uniform(2, 72) * HOUR;
    c.step(Math.max(at, c.last + HOUR), 'withdraw', { reason: 'Sorted it out myself' }, seed.customerId, 'customer');
    c.step(c.last + HOUR, 'close', {}, agent);
    return 'withdrawn';
  }

  const justified: Justified = rng.weighted({ yes: 60, partly: 20, no: 20 });
  const rootCause =
    justified === 'no'
      ? 'customer-error'
      : seed.category === 'delivery' || seed.category === 'website'
        ? rng.weighted({ systemic: 45, 'one-off': 40, 'third-party': 15 })
        : rng.weighted({ 'one-off': 70, 'third-party': 20, systemic: 10 });
  const respondAt = t0 + responseDelay;
  c.step(
    Math.max(c.last + 60_000, t0 + responseDelay * 0.6),
    'assess',
    {
      category: seed.category,
      severity: rng.weighted({ low: 30, medium: 45, high: 20, critical: 5 }),
      justified,
      rootCause,
      findings: 'Checked the order history and the courier log.',
    },
    agent,
  );

  if (path === 'stalled') {
    if (rng.chance(0.5))
      c.step(
        Math.max(respondAt, c.last + 60_000),
        justified === 'no' ? 'explain' : 'apologize',
        {
          channel: c.channel,
          message: justified === 'no' ? 'Thank you for telling us; here is what happened.' : 'We are sorry: that should not have happened.',
        },
        agent,
      );
    return 'open';
  }

  let satisfaction = 0.3 + { '0-1h': 0.25, '1-24h': 0.18, '1-3d': 0.08, '3-7d': -0.02, '7d+': -0.12 }[tier];
  const answered = rng.chance(0.9);
  if (justified === 'no') {
    c.step(
      Math.max(respondAt, c.last + 60_000),
      'explain',
      { channel: c.channel, message: 'Thank you for telling us; here is why the charge applies.' },
      agent,
    );
    satisfaction += answered ? 0.05 : 0;
    satisfaction -= 0.1;
  } else if (answered) {
    c.step(
      Math.max(respondAt, c.last + 60_000),
      'apologize',
      { channel: c.channel, message: 'We are sorry: that should not have happened, and it was our mistake.' },
      agent,
    );
    satisfaction += 0.12;
  } else {
    c.step(
      Math.max(respondAt, c.last + 60_000),
      'plan',
      { actions: ['Investigate with the warehouse', 'Call the customer back'], dueBy: iso(respondAt + 7 * DAY) },
      agent,
    );
  }

  if (rng.chance(0.3) && justified !== 'no') {
    const at = c.last + 30 * 60_000;
    c.step(
      at,
      'plan',
      { actions: ['Send a replacement by express delivery', 'Refund the delivery charge'], dueBy: iso(at + 7 * DAY) },
      agent,
    );
    const accepted = rng.chance(0.8);
    c.step(
      c.last + rng.uniform(2, 30) * HOUR,
      'plan-response',
      { response: accepted ? 'accepted' : 'rejected' },
      seed.customerId,
      'customer',
    );
    satisfaction += accepted ? 0.05 : -0.05;
  }

  if (rng.chance(justified === 'no' ? 0.15 : 0.55)) {
    const kind =
      justified === 'no'
        ? 'coupon'
        : rng.weighted({ coupon: 35, 'partial-refund': 25, replacement: 15, credit: 10, 'extra-service': 10, 'full-refund': 5 });
    const amount = {
      coupon: rng.integer(5, 20) * 100,
      credit: rng.integer(10, 30) * 100,
      'extra-service': rng.integer(5, 15) * 100,
      'partial-refund': Math.max(100, Math.round(seed.orderValue * rng.uniform(0.2, 0.6))),
      'full-refund': seed.orderValue,
      replacement: seed.orderValue,
    }[kind];
    const offerId = `offer-${c.ordinal}`;
    c.step(c.last + HOUR, 'goodwill', { offerId, kind, amount, currency: CURRENCY, description: `${kind} as a goodwill gesture` }, agent);
    let approved = true;
    if (amount > AGENT_GOODWILL_LIMIT) {
      approved = rng.chance(0.9);
      c.step(
        c.last + rng.uniform(1, 8) * HOUR,
        `goodwill/${offerId}/${approved ? 'approve' : 'decline'}`,
        approved ? { note: 'Approved' } : { reason: 'Too generous for this case' },
        SUPERVISOR,
        'supervisor',
      );
    }
    if (approved) {
      const accepted = rng.chance(0.85);
      c.step(
        c.last + rng.uniform(3, 36) * HOUR,
        `goodwill/${offerId}/response`,
        { response: accepted ? 'accepted' : 'declined' },
        seed.customerId,
        'customer',
      );
      if (accepted) {
        c.step(c.last + rng.uniform(2, 48) * HOUR, `goodwill/${offerId}/fulfil`, { reference: `ref-${c.ordinal}` }, agent);
        satisfaction += 0.15;
      }
    }
  }

  if (path === 'unresponsive') {
    c.step(
      c.last + rng.uniform(20, 40) * DAY,
      'close',
      { reason: 'customer-unresponsive', note: 'No answer to three calls and two emails.' },
      agent,
    );
    return 'not-recovered';
  }

  const resolveTier = rng.weighted({ fast: 40, month: 45, twoMonths: 10, slow: 5 });
  const resolveDelay =
    { fast: rng.uniform(0.3, 2.5), month: rng.uniform(4, 27), twoMonths: rng.uniform(29, 55), slow: rng.uniform(57, 75) }[resolveTier] *
    DAY;
  satisfaction += { fast: 0.08, month: 0.03, twoMonths: -0.08, slow: -0.15 }[resolveTier];
  const outcome = justified === 'yes' ? 'upheld' : justified === 'partly' ? 'partially-upheld' : 'rejected';
  c.step(Math.max(t0 + resolveDelay, c.last + HOUR), 'resolve', { resolution: 'Put right as agreed with the customer.', outcome }, agent);

  if (rng.chance(0.04)) return 'open'; // resolved, never followed up
  const followUp = (probability: number) => {
    const satisfied = rng.chance(Math.min(0.95, Math.max(0.05, probability)));
    c.step(
      c.last + (rng.chance(0.85) ? rng.uniform(1, 6.5) : rng.uniform(8, 14)) * DAY,
      'follow-up',
      {
        satisfied,
        csat: satisfied ? rng.integer(4, 5) : rng.integer(1, 3),
        nps: satisfied ? rng.integer(7, 10) : rng.integer(0, 6),
      },
      seed.customerId,
      'customer',
    );
    return satisfied;
  };
  let satisfied = followUp(satisfaction);
  if (!satisfied && rng.chance(0.4)) {
    c.step(c.last + rng.uniform(1, 5) * DAY, 'reopen', { reason: 'The customer is still not happy with the outcome.' }, agent);
    c.step(
      c.last + rng.uniform(3, 10) * DAY,
      'resolve',
      { resolution: 'Looked again and put right.', outcome: justified === 'no' ? 'partially-upheld' : outcome },
      agent,
    );
    satisfied = followUp(0.55);
  }
  if (rng.chance(0.9)) c.step(c.last + HOUR, 'close', {}, agent);
  return satisfied ? 'recovered' : 'not-recovered';
}

/** The complaint that led to the systemic fix: handled well, fixed on the day the fix takes effect. */
function planFixedCase(
  builder: RequestBuilder,
  seed: Omit<ComplaintSeed, 'periodEnd' | 'lateInPeriod'> & { rng: Random },
  fixAt: number,
): Cohort {
  const c = builder.openCase(seed, seed.rng);
  const t0 = seed.receivedAt;
  c.step(
    t0 + 20 * 60_000,
    'acknowledge',
    { channel: c.channel, message: 'We have your complaint and are looking into it today.' },
    'agent-ann',
  );
  c.step(
    t0 + 2 * HOUR,
    'assess',
    {
      category: seed.category,
      severity: 'high',
      justified: 'yes',
      rootCause: 'systemic',
      findings: 'The courier app ignored "signature required" for parcels over £50.',
    },
    'agent-ann',
  );
  c.step(
    t0 + 3 * HOUR,
    'apologize',
    { channel: c.channel, message: 'We are sorry: our courier process failed you, and we are changing it.' },
    'agent-ann',
  );
  c.step(
    fixAt,
    'system-fix',
    {
      fixId: 'fix-courier-signature',
      description: 'Courier app ignored the "signature required" flag for parcels over £50.',
      procedureChange: 'Parcels flagged "signature required" cannot be marked delivered without a captured signature.',
      effectiveFrom: iso(fixAt),
      customerNotified: true,
    },
    SUPERVISOR,
    'supervisor',
  );
  c.step(
    fixAt + HOUR,
    'resolve',
    { resolution: 'Replacement delivered with a signature; courier process changed.', outcome: 'upheld' },
    'agent-ann',
  );
  c.step(
    fixAt + 3 * DAY,
    'follow-up',
    { satisfied: true, csat: 5, nps: 10, comment: 'Thank you for fixing it for everyone.' },
    seed.customerId,
    'customer',
  );
  c.step(c.last + HOUR, 'close', {}, 'agent-ann');
  return 'recovered';
}

/** Collects the planned requests with deterministic idempotency keys, hence deterministic case, offer and event ids. */
class RequestBuilder {
  private readonly requests: PlannedRequest[] = [];
  private cases = 0;

  constructor(private readonly seed: string) {}

  private add(
    at: number,
    url: string,
    body: Record<string, unknown>,
    actor: string,
    role: PlannedRequest['actor']['role'],
    key: string,
  ): void {
    this.requests.push({
      at: iso(at),
      seq: this.requests.length,
      method: 'POST',
      url,
      body,
      headers: { 'content-type': 'application/json', 'idempotency-key': `demo-${this.seed}-${key}` },
      actor: { id: actor, role },
    });
  }

  purchase(at: number, customerId: string, orderId: string, amount: number): void {
    this.add(
      at,
      `/customers/${customerId}/purchases`,
      { orderId, amount, currency: CURRENCY, at: iso(at) },
      'shop',
      'agent',
      `purchase-${orderId}`,
    );
  }

  referral(at: number, customerId: string): void {
    this.add(
      at,
      `/customers/${customerId}/referrals`,
      { referralId: `ref-${customerId}-${this.requests.length}`, at: iso(at) },
      'shop',
      'agent',
      `referral-${this.requests.length}`,
    );
  }

  churn(at: number, customerId: string): void {
    this.add(at, `/customers/${customerId}/churn`, { reason: 'Closed the account', at: iso(at) }, 'shop', 'agent', `churn-${customerId}`);
  }

  openCase(seed: Pick<ComplaintSeed, 'customerId' | 'orderId' | 'orderValue' | 'receivedAt' | 'category'>, rng: Random): CaseSteps {
    const ordinal = ++this.cases;
    const key = `case-${ordinal}`;
    const caseId = uuidV5(`case/demo-${this.seed}-${key}`);
    const channel = rng.weighted({ email: 40, phone: 20, chat: 20, web: 15, social: 5 });
    const regime = rng.weighted({ default: 75, FCA: 25 });
    this.add(
      seed.receivedAt,
      '/cases',
      {
        customerId: seed.customerId,
        channel,
        regime,
        summary: `${seed.category.replace('-', ' ')} problem with order ${seed.orderId}`,
        orderRef: seed.orderId,
        orderValue: { amount: seed.orderValue, currency: CURRENCY },
        receivedAt: iso(seed.receivedAt),
      },
      seed.customerId,
      'customer',
      key,
    );
    return new CaseSteps(this, caseId, ordinal, channel, seed.receivedAt);
  }

  caseStep(
    at: number,
    caseId: string,
    ordinal: number,
    path: string,
    body: Record<string, unknown>,
    actor: string,
    role: PlannedRequest['actor']['role'],
    step: number,
  ): void {
    this.add(at, `/cases/${caseId}/${path}`, body, actor, role, `case-${ordinal}-${step}`);
  }

  sorted(): PlannedRequest[] {
    return [...this.requests].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
  }
}

class CaseSteps {
  private steps = 0;

  constructor(
    private readonly builder: RequestBuilder,
    readonly caseId: string,
    readonly ordinal: number,
    readonly channel: string,
    public last: number,
  ) {}

  step(at: number, path: string, body: Record<string, unknown>, actor: string, role: PlannedRequest['actor']['role'] = 'agent'): void {
    const when = Math.max(Math.round(at), this.last + 1_000);
    this.builder.caseStep(when, this.caseId, this.ordinal, path, body, actor, role, ++this.steps);
    this.last = when;
  }
}
