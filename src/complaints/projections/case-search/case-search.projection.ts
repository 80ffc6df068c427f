import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';
import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import type { Projection } from '../../../core/projections/projection';
import { narrowTables, type Queryable } from '../../../core/read-store/read-store';
import { COMPLAINT_STREAM_PREFIX } from '../../domain/complaint.decider';
import type { CustomerEvent } from '../../../customers/public';
import type { ComplaintEvent } from '../../domain/complaint.events';

export const CASE_SEARCH_PROJECTION = 'case-search';
export const SEARCH_DOCS_TABLE = 'case_search_docs';
/** SQLite: an FTS5 table whose rowid is the doc's `seq`. PostgreSQL: a tsvector per case with a GIN index. */
export const SEARCH_FTS_TABLE = 'case_search_fts';
export const SEARCH_TSV_TABLE = 'case_search_index';

/**
 * What the search indexes of a case, as its events gave it: personal fields stay sealed here (the index holds their
 * plaintext only while the customer's key lives), so a rebuild after an erasure can never bring the text back.
 */
export interface SearchSource {
  customerId: string;
  orderRef?: string;
  summary: string;
  details?: string;
  contacts: string[];
  notes: string[];
  findings?: string;
}

export interface SearchDocRow {
  case_id: string;
  seq: number;
  customer_id: string;
  document: string;
}

export interface CaseSearchTables {
  [SEARCH_DOCS_TABLE]: SearchDocRow;
}

/** Opens a sealed personal field for indexing; undefined when it cannot be read (erased), so it is left out. */
export type OpenText = (value: string) => string | undefined;

/** The case's events, and the customer's erasure. */
type SearchEvent = ComplaintEvent | CustomerEvent;

export function evolveSearchSource(source: SearchSource | null, event: ComplaintEvent): SearchSource | null {
  if (event.type === 'ComplaintReceived') {
    const { customerId, orderRef, summary, details } = event.data;
    return { customerId, summary, contacts: [], notes: [], ...(orderRef ? { orderRef } : {}), ...(details ? { details } : {}) };
  }
  if (!source) return null;
  switch (event.type) {
    case 'CustomerContactLogged':
      return { ...source, contacts: [...source.contacts, event.data.summary] };
    case 'InternalNoteAdded':
      return { ...source, notes: [...source.notes, event.data.text] };
    case 'ComplaintAssessed':
      return { ...source, findings: event.data.findings };
    default:
      return source;
  }
}

/** The two weighted parts of a case's text: the summary (ranked higher), and everything else. */
export function searchText(source: SearchSource, open: OpenText): { summary: string; body: string } {
  const read = (value: string | undefined) => (value === undefined ? undefined : open(value));
  const body = [
    source.customerId,
    source.orderRef,
    read(source.details),
    ...source.contacts.map(read),
    ...source.notes.map(read),
    source.findings,
  ]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join('\n');
  return { summary: words(read(source.summary) ?? ''), body: words(body) };
}

/**
 * Text as the index sees it: runs of letters and digits, everything else a space, so both engines split `ORD-7788` into
 * `ord` and `7788` (PostgreSQL's parser would otherwise read `-7788` as a signed number) exactly as a query is split.
 */
function words(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

const isSqlite = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof SqliteAdapter;

/**
 * Full-text search over cases, kept like every read model from the log and rebuilt with it. An erasure
 * (PersonalDataErased on the customer's stream) drops the customer's rows from the index at once.
 */
export function caseSearchProjection(open: OpenText): Projection<SearchEvent, CaseSearchTables> {
  return {
    name: CASE_SEARCH_PROJECTION,
    async apply<DB extends CaseSearchTables>(trx: Queryable<DB>, events: readonly RecordedEvent<SearchEvent>[]): Promise<void> {
      const db = narrowTables<DB, CaseSearchTables>(trx);
      const sqlite = isSqlite(db as Kysely<unknown>);
      for (const event of events) {
        if (event.type === 'PersonalDataErased') {
          await eraseCustomer(db, sqlite, event.data.customerId);
          continue;
        }
        if (!event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) continue;
        const caseId = event.streamName.slice(COMPLAINT_STREAM_PREFIX.length);
        const row = await db.selectFrom(SEARCH_DOCS_TABLE).selectAll().where('case_id', '=', caseId).executeTakeFirst();
        const before = row ? (JSON.parse(row.document) as SearchSource) : null;
        const after = evolveSearchSource(before, event as RecordedEvent<ComplaintEvent>);
        if (!after || after === before) continue;
        const seq = row?.seq ?? (await nextSeq(db));
        await db
          .insertInto(SEARCH_DOCS_TABLE)
          .values({ case_id: caseId, seq, customer_id: after.customerId, document: JSON.stringify(after) })
          .onConflict((conflict) => conflict.column('case_id').doUpdateSet({ document: JSON.stringify(after) }))
          .execute();
        await index(db, sqlite, caseId, seq, after.customerId, searchText(after, open));
      }
    },
    async reset<DB extends CaseSearchTables>(trx: Queryable<DB>): Promise<void> {
      const db = narrowTables<DB, CaseSearchTables>(trx);
      await db.deleteFrom(SEARCH_DOCS_TABLE).execute();
      await sql`DELETE FROM ${sql.table(isSqlite(db as Kysely<unknown>) ? SEARCH_FTS_TABLE : SEARCH_TSV_TABLE)}`.execute(db);
    },
  };
}

async function nextSeq(db: Kysely<CaseSearchTables>): Promise<number> {
  const { last } = await db
    .selectFrom(SEARCH_DOCS_TABLE)
    .select((eb) => eb.fn.max('seq').as('last'))
    .executeTakeFirstOrThrow();
  return Number(last ?? 0) + 1;
}

async function index(
  db: Kysely<CaseSearchTables>,
  sqlite: boolean,
  caseId: string,
  seq: number,
  customerId: string,
  text: { summary: string; body: string },
): Promise<void> {
  if (sqlite) {
    await sql`DELETE FROM ${sql.table(SEARCH_FTS_TABLE)} WHERE rowid = ${seq}`.execute(db);
    await sql`INSERT INTO ${sql.table(SEARCH_FTS_TABLE)} (rowid, summary, body) VALUES (${seq}, ${text.summary}, ${text.body})`.execute(db);
    return;
  }
  await sql`
    INSERT INTO ${sql.table(SEARCH_TSV_TABLE)} (case_id, customer_id, tsv)
    VALUES (${caseId}, ${customerId}, setweight(to_tsvector('english', ${text.summary}), 'A') || setweight(to_tsvector('english', ${text.body}), 'D'))
    ON CONFLICT (case_id) DO UPDATE SET tsv = excluded.tsv`.execute(db);
}

async function eraseCustomer(db: Kysely<CaseSearchTables>, sqlite: boolean, customerId: string): Promise<void> {
  if (sqlite)
    await sql`DELETE FROM ${sql.table(SEARCH_FTS_TABLE)} WHERE rowid IN (SELECT seq FROM ${sql.table(SEARCH_DOCS_TABLE)} WHERE customer_id = ${customerId})`.execute(
      db,
    );
  else await sql`DELETE FROM ${sql.table(SEARCH_TSV_TABLE)} WHERE customer_id = ${customerId}`.execute(db);
}

export const caseSearchMigrations: Record<string, Migration> = {
  '0120_case_search': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(SEARCH_DOCS_TABLE)
        .addColumn('case_id', 'varchar(128)', (column) => column.primaryKey())
        .addColumn('seq', 'integer', (column) => column.notNull().unique())
        .addColumn('customer_id', 'varchar(128)', (column) => column.notNull())
        .addColumn('document', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex(`${SEARCH_DOCS_TABLE}_customer_idx`).on(SEARCH_DOCS_TABLE).column('customer_id').execute();
      if (isSqlite(db)) {
        // Porter stemming over Unicode words: "delivered" finds "delivery"; case and accents do not matter.
        await sql`CREATE VIRTUAL TABLE ${sql.table(SEARCH_FTS_TABLE)} USING fts5(summary, body, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(
          db,
        );
        return;
      }
      await sql`CREATE TABLE ${sql.table(SEARCH_TSV_TABLE)} (case_id varchar(128) PRIMARY KEY, customer_id varchar(128) NOT NULL, tsv tsvector NOT NULL)`.execute(
        db,
      );
      await sql`CREATE INDEX case_search_index_tsv_idx ON ${sql.table(SEARCH_TSV_TABLE)} USING GIN (tsv)`.execute(db);
      await sql`CREATE INDEX case_search_index_customer_idx ON ${sql.table(SEARCH_TSV_TABLE)} (customer_id)`.execute(db);
    },
  },
};

/** At most this many best matches are listed for one search: a desk refines a search rather than paging through thousands. */
export const SEARCH_HITS_LIMIT = 1000;

/** The ids of the cases matching every word of `q`, best first (see README: search ranking). */
export async function searchCases(db: Kysely<CaseSearchTables>, q: string): Promise<Array<{ caseId: string; score: number }>> {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return [];
  if (isSqlite(db as Kysely<unknown>)) {
    // Each word quoted: the user's text is never FTS5 syntax. bm25 is lower for better matches; the summary weighs 10×.
    const match = words.map((word) => `"${word}"`).join(' ');
    const { rows } = await sql<{ case_id: string; score: number }>`
      SELECT d.case_id AS case_id, -bm25(${sql.table(SEARCH_FTS_TABLE)}, 10.0, 1.0) AS score
      FROM ${sql.table(SEARCH_FTS_TABLE)} JOIN ${sql.table(SEARCH_DOCS_TABLE)} d ON d.seq = ${sql.table(SEARCH_FTS_TABLE)}.rowid
      WHERE ${sql.table(SEARCH_FTS_TABLE)} MATCH ${match}
      ORDER BY score DESC LIMIT ${SEARCH_HITS_LIMIT}`.execute(db);
    return rows.map((row) => ({ caseId: row.case_id, score: Number(row.score) }));
  }
  const { rows } = await sql<{ case_id: string; score: number }>`
    SELECT case_id, ts_rank('{0.1, 0.2, 0.4, 1.0}', tsv, query) AS score
    FROM ${sql.table(SEARCH_TSV_TABLE)}, plainto_tsquery('english', ${words.join(' ')}) query
    WHERE tsv @@ query
    ORDER BY score DESC LIMIT ${SEARCH_HITS_LIMIT}`.execute(db);
  return rows.map((row) => ({ caseId: row.case_id, score: Number(row.score) }));
}
