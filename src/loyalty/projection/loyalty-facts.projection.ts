import type { Insertable, Kysely } from 'kysely';
import { COMPLAINT_STREAM_PREFIX } from '../../complaints/public';
import type { ComplaintEvent } from '../../complaints/public';
import type { CaseView } from '../../complaints/public';
import { evolveCaseView } from '../../complaints/public';
import type { RecordedEvent } from '../../core/event-store/event-store.port';
import { Projection, ProjectionEventError } from '../../core/projections/projection';
import { Queryable, narrowTables } from '../../core/read-store/read-store';
import { CUSTOMER_STREAM_PREFIX } from '../../customers/public';
import type { CustomerEvent } from '../../customers/public';
import { CaseFactsRow, caseFacts, deadlineRows, fixRows, goodwillRows } from './case-facts';
import { ChurnFactRow, LOYALTY_TABLES as T, LoyaltyTables, PurchaseFactRow, ReferralFactRow } from './loyalty-facts.tables';

export const LOYALTY_PROJECTION = 'loyalty-facts';

/** Rows per INSERT: well under both dialects' bound-parameter limits for the widest table. */
const CHUNK = 200;

/** What loyalty is measured from: customers' behaviour and how their complaints went. */
type LoyaltySource = ComplaintEvent | CustomerEvent;
type LoyaltyEvent = RecordedEvent<LoyaltySource>;

interface CustomerFacts {
  readonly purchases: Insertable<PurchaseFactRow>[];
  readonly referrals: ReferralFactRow[];
  readonly churn: ChurnFactRow[];
}

/**
 * The loyalty read model: purchases, referrals and churn from customer streams, and the facts of every
 * case (folded with the case view's own pure evolve, so "resolved", "first response" and "granted" mean
 * exactly what the case view says). One projection, one checkpoint: read-your-writes on analytics waits
 * for one position whichever stream a command touched.
 */
export const loyaltyFactsProjection: Projection<LoyaltySource, LoyaltyTables> = {
  name: LOYALTY_PROJECTION,

  async apply<DB extends LoyaltyTables>(trx: Queryable<DB>, events: readonly LoyaltyEvent[]): Promise<void> {
    const db = narrowTables<DB, LoyaltyTables>(trx);
    const facts: CustomerFacts = { purchases: [], referrals: [], churn: [] };
    const caseEvents: Array<{ caseId: string; event: LoyaltyEvent }> = [];
    for (const event of events) {
      if (event.streamName.startsWith(CUSTOMER_STREAM_PREFIX)) {
        try {
          collectCustomerFact(event, facts);
        } catch (error) {
          throw new ProjectionEventError(event, error);
        }
      } else if (event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) {
        caseEvents.push({ caseId: event.streamName.slice(COMPLAINT_STREAM_PREFIX.length), event });
      }
    }
    await inChunks(facts.purchases, (rows) =>
      db
        .insertInto(T.purchases)
        .values(rows)
        .onConflict((oc) => oc.columns(['customer_id', 'order_id']).doNothing())
        .execute(),
    );
    await inChunks(facts.referrals, (rows) =>
      db
        .insertInto(T.referrals)
        .values(rows)
        .onConflict((oc) => oc.column('event_id').doNothing())
        .execute(),
    );
    await inChunks(facts.churn, (rows) =>
      db
        .insertInto(T.churn)
        .values(rows)
        .onConflict((oc) => oc.column('event_id').doNothing())
        .execute(),
    );
    if (caseEvents.length > 0) await applyCaseEvents(db, caseEvents);
  },

  async reset<DB extends LoyaltyTables>(trx: Queryable<DB>): Promise<void> {
    const db = narrowTables<DB, LoyaltyTables>(trx);
    for (const table of Object.values(T)) await db.deleteFrom(table).execute();
  },
};

function collectCustomerFact(event: LoyaltyEvent, into: CustomerFacts): void {
  switch (event.type) {
    case 'PurchaseRecorded': {
      const { customerId, orderId, amount, currency, at } = event.data;
      into.purchases.push({ customer_id: customerId, order_id: orderId, amount, currency, at: utc(at), position: event.position });
      return;
    }
    case 'ReferralRecorded': {
      const { customerId, referralId, referredCustomerId, at } = event.data;
      into.referrals.push({
        event_id: event.id,
        customer_id: customerId,
        referral_id: referralId,
        referred_customer_id: referredCustomerId ?? null,
        at: utc(at),
      });
      return;
    }
    case 'CustomerChurned': {
      const { customerId, reason, at } = event.data;
      into.churn.push({ event_id: event.id, customer_id: customerId, reason: reason ?? null, at: utc(at) });
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

type CaseFactColumn = Exclude<keyof CaseFactsRow, 'case_id'>;

/** The columns a case's facts row replaces on conflict: all but its key. */
function updatedFactColumns(row: CaseFactsRow): CaseFactColumn[] {
  return (Object.keys(row) as Array<keyof CaseFactsRow>).filter((column): column is CaseFactColumn => column !== 'case_id');
}

async function applyCaseEvents(
  db: Kysely<LoyaltyTables>,
  caseEvents: ReadonlyArray<{ caseId: string; event: LoyaltyEvent }>,
): Promise<void> {
  const ids = [...new Set(caseEvents.map(({ caseId }) => caseId))];
  const views = new Map<string, CaseView | null>();
  await inChunks(ids, async (chunk) => {
    const rows = await db.selectFrom(T.cases).select(['case_id', 'document']).where('case_id', 'in', chunk).execute();
    for (const row of rows) views.set(row.case_id, JSON.parse(row.document) as CaseView);
  });
  for (const { caseId, event } of caseEvents) {
    try {
      views.set(caseId, evolveCaseView(views.get(caseId) ?? null, event));
    } catch (error) {
      throw new ProjectionEventError(event, error);
    }
  }
  const touched = [...views.values()].filter((view): view is CaseView => view !== null);
  const facts = touched.map(caseFacts);
  await inChunks(facts, (rows) =>
    db
      .insertInto(T.cases)
      .values(rows)
      .onConflict((oc) =>
        oc
          .column('case_id')
          .doUpdateSet((eb) => Object.fromEntries(updatedFactColumns(rows[0]).map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .execute(),
  );
  // Child rows are replaced wholesale: a case has few of each, and the view is their single source.
  for (const table of [T.goodwill, T.fixes, T.deadlines]) {
    await inChunks(ids, (chunk) => db.deleteFrom(table).where('case_id', 'in', chunk).execute());
  }
  await inChunks(touched.flatMap(goodwillRows), (rows) => db.insertInto(T.goodwill).values(rows).execute());
  await inChunks(touched.flatMap(fixRows), (rows) => db.insertInto(T.fixes).values(rows).execute());
  await inChunks(touched.flatMap(deadlineRows), (rows) => db.insertInto(T.deadlines).values(rows).execute());
}

/** Writes `items` a chunk at a time. */
async function inChunks<Item>(items: readonly Item[], write: (chunk: Item[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += CHUNK) await write(items.slice(start, start + CHUNK));
}
