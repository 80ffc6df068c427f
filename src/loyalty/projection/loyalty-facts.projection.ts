import type { Insertable, Kysely } from 'kysely';
import { COMPLAINT_STREAM_PREFIX } from '../../complaints/headless';
import type { ComplaintEvent } from '../../complaints/headless';
import type { CaseView } from '../../complaints/headless';
import { foldCaseFacts } from '../../complaints/headless';
import type { RecordedEvent } from '../../core/event-store/event-store.port';
import { Projection, ProjectionEventError, type ProjectionSession, applyInOneSession } from '../../core/projections/projection';
import { Queryable, narrowTables } from '../../core/read-store/read-store';
import { CUSTOMER_STREAM_PREFIX } from '../../customers/headless';
import type { CustomerEvent } from '../../customers/headless';
import { type KeyedEvent, heldDocuments } from '../../core/projections/held-documents';
import { type AnyTables, storedRows, writeRowChanges } from '../../core/projections/row-changes';
import { CaseFactsRow, DeadlineRow, FixRow, GoodwillRow, caseFacts, deadlineRows, fixRows, goodwillRows } from './case-facts';
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
 * exactly what the case view says; foldCaseFacts takes the case views' fold where they have just made it).
 * One projection, one checkpoint: read-your-writes on analytics waits for one position whichever stream a
 * command touched.
 */
export const loyaltyFactsProjection: Projection<LoyaltySource, LoyaltyTables> = {
  name: LOYALTY_PROJECTION,
  apply: (trx, events) => applyInOneSession(loyaltySession(trx), events),
  session: loyaltySession,

  async reset<DB extends LoyaltyTables>(trx: Queryable<DB>): Promise<void> {
    const db = narrowTables<DB, LoyaltyTables>(trx);
    for (const table of Object.values(T)) await db.deleteFrom(table).execute();
  },
};

/** Customer facts are written batch by batch; the cases' facts follow their views, evolved across the session's batches. */
function loyaltySession<DB extends LoyaltyTables>(trx: Queryable<DB>, heldCases?: number): ProjectionSession<LoyaltySource> {
  // The tables seen as rows of anything, each addressed by its name below.
  const tables = narrowTables<DB, LoyaltyTables>(trx) as unknown as Kysely<AnyTables>;
  const cases = caseFactsSession(tables, heldCases);
  return {
    async apply(events) {
      const facts: CustomerFacts = { purchases: [], referrals: [], churn: [] };
      const caseEvents: Array<KeyedEvent<LoyaltySource>> = [];
      for (const event of events) {
        if (event.streamName.startsWith(CUSTOMER_STREAM_PREFIX)) {
          try {
            collectCustomerFact(event, facts);
          } catch (error) {
            throw new ProjectionEventError(event, error);
          }
        } else if (event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) {
          caseEvents.push({ key: event.streamName.slice(COMPLAINT_STREAM_PREFIX.length), event });
        }
      }
      await insertFacts(tables, T.purchases, ['customer_id', 'order_id'], facts.purchases);
      await insertFacts(tables, T.referrals, ['event_id'], facts.referrals);
      await insertFacts(tables, T.churn, ['event_id'], facts.churn);
      await cases.evolve(caseEvents);
    },
    flush: () => cases.flush(),
  };
}

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

/** The cases' views, read from their stored facts when first met, evolved through the session's batches and written at `flush` (or when let go: held-documents.ts). */
function caseFactsSession(tables: Kysely<AnyTables>, heldCases?: number) {
  return heldDocuments<CaseView, LoyaltySource, 'case_id', CaseFactsRow>(
    { db: tables, table: T.cases, keyColumn: 'case_id' },
    foldCaseFacts,
    async ({ stored, documents }) => {
      const ids = [...documents.keys()];
      const touched = [...documents.values()].filter((view): view is CaseView => view !== null);
      await writeRowChanges(tables, T.cases, ['case_id'], stored, touched.map(caseFacts));
      // A case's child rows follow its view: the few that changed are written, the rest left as they are.
      const writeChildRows = async <Row extends { case_id: string }>(
        table: string,
        key: ReadonlyArray<keyof Row & string>,
        rowsOf: (view: CaseView) => Row[],
      ) => writeRowChanges<Row>(tables, table, key, await storedRows<Row>(tables, table, 'case_id', ids), touched.flatMap(rowsOf));
      await writeChildRows<GoodwillRow>(T.goodwill, ['case_id', 'offer_id'], goodwillRows);
      await writeChildRows<FixRow>(T.fixes, ['case_id', 'fix_id'], fixRows);
      await writeChildRows<DeadlineRow>(T.deadlines, ['case_id', 'seq'], deadlineRows);
    },
    heldCases,
  );
}

/** Inserts the facts a chunk at a time; one already there (matched by `key`) is left as it is. */
async function insertFacts<Row extends object>(
  tables: Kysely<AnyTables>,
  table: string,
  key: ReadonlyArray<keyof Row & string>,
  facts: readonly Row[],
): Promise<void> {
  for (let start = 0; start < facts.length; start += CHUNK) {
    await tables
      .insertInto(table)
      .values(facts.slice(start, start + CHUNK))
      .onConflict((oc) => oc.columns([...key]).doNothing())
      .execute();
  }
}
