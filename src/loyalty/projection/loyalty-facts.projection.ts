import type { InsertQueryBuilder, InsertResult, Transaction } from 'kysely';
import { COMPLAINT_STREAM_PREFIX } from '../../complaints/domain/complaint.decider';
import type { CaseView } from '../../complaints/projections/case-view/case-view';
import { evolveCaseView } from '../../complaints/projections/case-view/case-view.evolve';
import type { RecordedEvent } from '../../core/event-store/event-store.port';
import { Projection, ProjectionEventError } from '../../core/projections/projection';
import { CUSTOMER_STREAM_PREFIX } from '../../customers/domain/customer.decider';
import type { CustomerEvent } from '../../customers/domain/customer.events';
import { caseFacts, deadlineRows, fixRows, goodwillRows } from './case-facts';
import { LOYALTY_TABLES as T } from './loyalty-facts.tables';

export const LOYALTY_PROJECTION = 'loyalty-facts';

/** Rows per INSERT: well under both dialects' bound-parameter limits for the widest table. */
const CHUNK = 200;

/**
 * The loyalty read model: purchases, referrals and churn from customer streams, and the facts of every
 * case (folded with the case view's own pure evolve, so "resolved", "first response" and "granted" mean
 * exactly what the case view says). One projection, one checkpoint: read-your-writes on analytics waits
 * for one position whichever stream a command touched.
 */
export const loyaltyFactsProjection: Projection = {
  name: LOYALTY_PROJECTION,

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]): Promise<void> {
    const purchases: Record<string, unknown>[] = [];
    const referrals: Record<string, unknown>[] = [];
    const churn: Record<string, unknown>[] = [];
    const caseEvents: Array<{ caseId: string; event: RecordedEvent }> = [];
    for (const event of events) {
      if (event.streamName.startsWith(CUSTOMER_STREAM_PREFIX)) {
        const customerEvent = event as unknown as CustomerEvent & RecordedEvent;
        try {
          collectCustomerFact(customerEvent, event, { purchases, referrals, churn });
        } catch (error) {
          throw new ProjectionEventError(event, error);
        }
      } else if (event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) {
        caseEvents.push({ caseId: event.streamName.slice(COMPLAINT_STREAM_PREFIX.length), event });
      }
    }
    await insertChunks(trx, T.purchases, purchases, (insert) => insert.onConflict((oc) => oc.columns(['customer_id', 'order_id']).doNothing()));
    await insertChunks(trx, T.referrals, referrals, (insert) => insert.onConflict((oc) => oc.column('event_id').doNothing()));
    await insertChunks(trx, T.churn, churn, (insert) => insert.onConflict((oc) => oc.column('event_id').doNothing()));
    if (caseEvents.length > 0) await applyCaseEvents(trx, caseEvents);
  },

  async reset(trx: Transaction<any>): Promise<void> {
    for (const table of Object.values(T)) await trx.deleteFrom(table).execute();
  },
};

function collectCustomerFact(
  event: CustomerEvent,
  recorded: RecordedEvent,
  into: { purchases: Record<string, unknown>[]; referrals: Record<string, unknown>[]; churn: Record<string, unknown>[] },
): void {
  switch (event.type) {
    case 'PurchaseRecorded': {
      const { customerId, orderId, amount, currency, at } = event.data;
      into.purchases.push({ customer_id: customerId, order_id: orderId, amount, currency, at: utc(at), position: recorded.position });
      return;
    }
    case 'ReferralRecorded': {
      const { customerId, referralId, referredCustomerId, at } = event.data;
      into.referrals.push({ event_id: recorded.id, customer_id: customerId, referral_id: referralId, referred_customer_id: referredCustomerId ?? null, at: utc(at) });
      return;
    }
    case 'CustomerChurned': {
      const { customerId, reason, at } = event.data;
      into.churn.push({ event_id: recorded.id, customer_id: customerId, reason: reason ?? null, at: utc(at) });
      return;
    }
    default:
      // A customer event this read model does not know (a later addition): nothing to count.
      return;
  }
}

function utc(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`Not an instant: ${JSON.stringify(instant)}`);
  return new Date(ms).toISOString();
}

async function applyCaseEvents(trx: Transaction<any>, caseEvents: ReadonlyArray<{ caseId: string; event: RecordedEvent }>): Promise<void> {
  const ids = [...new Set(caseEvents.map(({ caseId }) => caseId))];
  const views = new Map<string, CaseView | null>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const rows = await trx.selectFrom(T.cases).select(['case_id', 'document']).where('case_id', 'in', ids.slice(start, start + CHUNK)).execute();
    for (const row of rows) views.set(row.case_id as string, JSON.parse(row.document as string) as CaseView);
  }
  for (const { caseId, event } of caseEvents) {
    try {
      views.set(caseId, evolveCaseView(views.get(caseId) ?? null, event));
    } catch (error) {
      throw new ProjectionEventError(event, error);
    }
  }
  const touched = [...views.entries()].filter((entry): entry is [string, CaseView] => entry[1] !== null);
  const facts = touched.map(([, view]) => caseFacts(view));
  await insertChunks(trx, T.cases, facts as unknown as Record<string, unknown>[], (insert) => insert.onConflict((oc) => oc.column('case_id').doUpdateSet((eb) => {
    const columns = Object.keys(facts[0]!).filter((column) => column !== 'case_id');
    return Object.fromEntries(columns.map((column) => [column, eb.ref(`excluded.${column}`)]));
  })));
  // Child rows are replaced wholesale: a case has few of each, and the view is their single source.
  for (const table of [T.goodwill, T.fixes, T.deadlines]) {
    for (let start = 0; start < ids.length; start += CHUNK) {
      await trx.deleteFrom(table).where('case_id', 'in', ids.slice(start, start + CHUNK)).execute();
    }
  }
  await insertChunks(trx, T.goodwill, touched.flatMap(([, view]) => goodwillRows(view)) as unknown as Record<string, unknown>[]);
  await insertChunks(trx, T.fixes, touched.flatMap(([, view]) => fixRows(view)) as unknown as Record<string, unknown>[]);
  await insertChunks(trx, T.deadlines, touched.flatMap(([, view]) => deadlineRows(view)) as unknown as Record<string, unknown>[]);
}

type Insert = InsertQueryBuilder<any, string, InsertResult>;

async function insertChunks(
  trx: Transaction<any>,
  table: string,
  rows: readonly Record<string, unknown>[],
  conflict: (insert: Insert) => Insert = (insert) => insert,
): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    await conflict(trx.insertInto(table).values(rows.slice(start, start + CHUNK) as Record<string, unknown>[])).execute();
  }
}
