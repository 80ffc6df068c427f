import { sql, type Kysely, type Migration } from 'kysely';
import { hash } from 'node:crypto';
import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import { HELD_DOCUMENTS, TouchOrder } from '../../../core/projections/held-documents';
import { type Projection, type ProjectionSession, applyInOneSession } from '../../../core/projections/projection';
import { insertRows, isSqlite, narrowTables, type Queryable } from '../../../core/read-store/read-store';
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

/** The two weighted parts of a case's text, as index terms: the summary (ranked higher), and everything else. */
export function searchText(source: SearchSource, open: OpenText, termsOf: TermsOf = termsOfValue): { summary: string; body: string } {
  const opened = (value: string | undefined) => (value === undefined ? '' : termsOf(value, open));
  const plain = (value: string | undefined) => (value === undefined ? '' : terms(value).join(' '));
  const body = [
    plain(source.customerId),
    plain(source.orderRef),
    opened(source.details),
    ...source.contacts.map(opened),
    ...source.notes.map(opened),
    plain(source.findings),
  ]
    .filter((part) => part.length > 0)
    .join(' ');
  return { summary: opened(source.summary), body };
}

/** The index terms of one stored value (opened first when sealed), joined by spaces; '' when it has none or cannot be read. */
type TermsOf = (value: string, open: OpenText) => string;

const termsOfValue: TermsOf = (value, open) => terms(open(value) ?? '').join(' ');

/** How many stored values' terms one search projection keeps (least recently made first out). */
const REMEMBERED_VALUES = 20_000;

/**
 * `termsOfValue`, remembered by the stored value: a case is re-indexed whole whenever it changes, and opening and digesting
 * every contact of a long case again for each new one made indexing cost grow with the case. The memory holds digests
 * keyed by the stored (sealed) form, never a customer's words; `forget` drops it all when a customer's data is erased, so
 * an erased value is opened again, and left out, the next time its case is indexed.
 */
function rememberedTerms(): { termsOf: TermsOf; forget: () => void } {
  const remembered = new Map<string, string>();
  return {
    termsOf: (value, open) => {
      let found = remembered.get(value);
      if (found === undefined) {
        found = termsOfValue(value, open);
        remembered.set(value, found);
        if (remembered.size > REMEMBERED_VALUES) remembered.delete(remembered.keys().next().value!);
      }
      return found;
    },
    forget: () => remembered.clear(),
  };
}

/**
 * The index terms of a text: its runs of letters and digits, lower-cased, lightly stemmed, then digested. The index never
 * holds a customer's words, only these digests (so no byte of the read store spells an erased customer's name, whatever
 * SQLite leaves in free pages or its WAL); a query is turned into terms the same way, so both engines match the same.
 */
export function terms(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => digest(stem(word.toLowerCase())));
}

/**
 * A light English stemmer, the same on both stores: plurals, -ed, -ing and a final e or y, so "delivered", "delivering",
 * "deliveries" and "delivery" are one term. Words of three letters or fewer are kept as they are.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /^\p{N}+$/u.test(word)) return word;
  let w = word;
  if (w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  if (/[ey]$/.test(w) && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** 64 bits of SHA-256, written in the letters a–p so neither engine's parser reads a term as a number. */
function digest(term: string): string {
  const hex = hash('sha256', `redress-search/${term}`, 'hex');
  let letters = '';
  for (let nibble = 0; nibble < 16; nibble++) letters += LETTER_OF_NIBBLE[parseInt(hex[nibble], 16)];
  return letters;
}

const LETTER_OF_NIBBLE = Array.from({ length: 16 }, (_, nibble) => String.fromCharCode(97 + nibble));

/**
 * Full-text search over cases, kept like every read model from the log and rebuilt with it. An erasure
 * (PersonalDataErased on the customer's stream) drops the customer's rows from the index at once.
 */
export function caseSearchProjection(open: OpenText): Projection<SearchEvent, CaseSearchTables> {
  const { termsOf, forget } = rememberedTerms();
  const indexText = (source: SearchSource) => searchText(source, open, termsOf);
  /** The cases of the session's batches held in one SearchBatch: each read once, written and re-indexed at `flush`. */
  const session = <DB extends CaseSearchTables>(trx: Queryable<DB>, held = HELD_DOCUMENTS): ProjectionSession<SearchEvent> => {
    const db = narrowTables<DB, CaseSearchTables>(trx);
    const sqlite = isSqlite(db as Kysely<unknown>);
    let batch = new SearchBatch();
    return {
      async apply(events) {
        await batch.load(db, events);
        for (const event of events) {
          if (event.type === 'PersonalDataErased') {
            // The erasure drops the customer's rows as the index stands at this event: what the batch changed before it goes first.
            await batch.flush(db, sqlite, indexText);
            await eraseCustomer(db, sqlite, event.data.customerId);
            forget();
            continue;
          }
          if (event.streamName.startsWith(COMPLAINT_STREAM_PREFIX))
            batch.evolve(event.streamName.slice(COMPLAINT_STREAM_PREFIX.length), event as RecordedEvent<ComplaintEvent>);
        }
        await batch.letGoBeyond(held, db, sqlite, indexText);
      },
      async flush() {
        await batch.flush(db, sqlite, indexText);
        batch = new SearchBatch();
      },
    };
  };
  return {
    name: CASE_SEARCH_PROJECTION,
    apply: (trx, events) => applyInOneSession(session(trx), events),
    session,
    async reset<DB extends CaseSearchTables>(trx: Queryable<DB>): Promise<void> {
      const db = narrowTables<DB, CaseSearchTables>(trx);
      forget();
      await db.deleteFrom(SEARCH_DOCS_TABLE).execute();
      await sql`DELETE FROM ${sql.table(isSqlite(db as Kysely<unknown>) ? SEARCH_FTS_TABLE : SEARCH_TSV_TABLE)}`.execute(db);
    },
  };
}

/** Rows per statement: well under both dialects' bound-parameter limits. */
const SEARCH_CHUNK = 200;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += SEARCH_CHUNK) out.push(items.slice(start, start + SEARCH_CHUNK));
  return out;
}

interface HeldDoc {
  readonly seq: number;
  source: SearchSource;
  changed: boolean;
}

/**
 * The search documents a session's batches touch, held in memory: each case is read once, evolved through all its events,
 * and written and re-indexed once (not once per event). New cases take the next `seq` in the order they appear. Past
 * HELD_DOCUMENTS, the cases touched least recently are written and let go (held-documents.ts).
 */
class SearchBatch {
  private readonly docs = new Map<string, HeldDoc>();
  private readonly touched = new TouchOrder();
  /** The last `seq` given, read with the first cases met. */
  private lastSeq?: number;

  /** Reads the documents of the cases of `events` not held yet. */
  async load(db: Kysely<CaseSearchTables>, events: readonly RecordedEvent<SearchEvent>[]): Promise<void> {
    const ids = [
      ...new Set(
        events.flatMap((event) =>
          event.streamName.startsWith(COMPLAINT_STREAM_PREFIX) ? [event.streamName.slice(COMPLAINT_STREAM_PREFIX.length)] : [],
        ),
      ),
    ].filter((id) => !this.docs.has(id));
    if (ids.length === 0) return;
    for (const chunk of chunks(ids)) {
      const rows = await db.selectFrom(SEARCH_DOCS_TABLE).select(['case_id', 'seq', 'document']).where('case_id', 'in', chunk).execute();
      for (const row of rows)
        this.docs.set(row.case_id, { seq: Number(row.seq), source: JSON.parse(row.document) as SearchSource, changed: false });
    }
    if (this.lastSeq !== undefined) return;
    const { last } = await db
      .selectFrom(SEARCH_DOCS_TABLE)
      .select((eb) => eb.fn.max('seq').as('last'))
      .executeTakeFirstOrThrow();
    this.lastSeq = Number(last ?? 0);
  }

  evolve(caseId: string, event: RecordedEvent<ComplaintEvent>): void {
    this.touched.touch(caseId);
    const held = this.docs.get(caseId);
    const after = evolveSearchSource(held?.source ?? null, event);
    if (!after || after === held?.source) return;
    if (held) {
      held.source = after;
      held.changed = true;
    } else {
      this.lastSeq = (this.lastSeq ?? 0) + 1;
      this.docs.set(caseId, { seq: this.lastSeq, source: after, changed: true });
    }
  }

  /** Writes the changed documents and their index rows, a multi-row statement per chunk. */
  flush(db: Kysely<CaseSearchTables>, sqlite: boolean, indexText: (source: SearchSource) => IndexEntry['text']): Promise<void> {
    return this.write([...this.docs], db, sqlite, indexText);
  }

  /** Writes and forgets the cases touched least recently beyond `limit`; an event that meets one again reads it back. */
  async letGoBeyond(
    limit: number,
    db: Kysely<CaseSearchTables>,
    sqlite: boolean,
    indexText: (source: SearchSource) => IndexEntry['text'],
  ): Promise<void> {
    const oldest = this.touched.beyond(limit).flatMap((caseId) => {
      const held = this.docs.get(caseId);
      return held ? [[caseId, held] as const] : [];
    });
    await this.write(oldest, db, sqlite, indexText);
    for (const [caseId] of oldest) this.docs.delete(caseId);
  }

  private async write(
    docs: ReadonlyArray<readonly [string, HeldDoc]>,
    db: Kysely<CaseSearchTables>,
    sqlite: boolean,
    indexText: (source: SearchSource) => IndexEntry['text'],
  ): Promise<void> {
    const changed = docs.filter(([, held]) => held.changed);
    if (changed.length === 0) return;
    for (const [, held] of changed) held.changed = false;
    for (const chunk of chunks(changed)) {
      await insertRows(
        db,
        SEARCH_DOCS_TABLE,
        { case_id: 'text', seq: 'integer', customer_id: 'text', document: 'text' },
        chunk.map(([caseId, { seq, source }]) => [caseId, seq, source.customerId, JSON.stringify(source)]),
        'on conflict ("case_id") do update set "document" = excluded."document"',
      );
      await index(
        db,
        sqlite,
        chunk.map(([caseId, { seq, source }]) => ({ caseId, seq, customerId: source.customerId, text: indexText(source) })),
      );
    }
  }
}

interface IndexEntry {
  readonly caseId: string;
  readonly seq: number;
  readonly customerId: string;
  readonly text: { summary: string; body: string };
}

async function index(db: Kysely<CaseSearchTables>, sqlite: boolean, entries: readonly IndexEntry[]): Promise<void> {
  if (sqlite) {
    const fts = sql.table(SEARCH_FTS_TABLE);
    await sql`DELETE FROM ${fts} WHERE rowid IN (${sql.join(entries.map(({ seq }) => seq))})`.execute(db);
    await insertRows(
      db,
      SEARCH_FTS_TABLE,
      { rowid: 'integer', summary: 'text', body: 'text' },
      entries.map(({ seq, text }) => [seq, text.summary, text.body]),
    );
    return;
  }
  // One array per column, as insertRows binds them: four parameters per statement rather than four per case.
  await sql`
    INSERT INTO ${sql.table(SEARCH_TSV_TABLE)} (case_id, customer_id, tsv)
    SELECT case_id, customer_id, setweight(to_tsvector('simple', summary), 'A') || setweight(to_tsvector('simple', body), 'D')
    FROM unnest(
      ${entries.map((entry) => entry.caseId)}::text[], ${entries.map((entry) => entry.customerId)}::text[],
      ${entries.map((entry) => entry.text.summary)}::text[], ${entries.map((entry) => entry.text.body)}::text[]
    ) AS entry (case_id, customer_id, summary, body)
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
        // The terms are digests (see `terms`): the tokenizer only splits them at spaces.
        await sql`CREATE VIRTUAL TABLE ${sql.table(SEARCH_FTS_TABLE)} USING fts5(summary, body, tokenize = 'unicode61')`.execute(db);
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
  const words = terms(q);
  if (words.length === 0) return [];
  if (isSqlite(db as Kysely<unknown>)) {
    // Terms are letters only, quoted all the same. bm25 is lower for better matches; the summary weighs 10×.
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
    FROM ${sql.table(SEARCH_TSV_TABLE)}, to_tsquery('simple', ${words.join(' & ')}) query
    WHERE tsv @@ query
    ORDER BY score DESC LIMIT ${SEARCH_HITS_LIMIT}`.execute(db);
  return rows.map((row) => ({ caseId: row.case_id, score: Number(row.score) }));
}
