import type { Kysely, Migration } from 'kysely';
import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import type { Projection } from '../../../core/projections/projection';
import { narrowTables, type Queryable } from '../../../core/read-store/read-store';
import { COMPLAINT_STREAM_PREFIX } from '../../domain/complaint.decider';
import type { ComplaintEvent } from '../../domain/complaint.events';

export const CASE_TAGS_TABLE = 'case_tags';
export const CASE_TAGS_PROJECTION = 'case-tags';

/** One row per tag on a case: what `GET /cases?tag=` looks up through its (tag, case_id) key. */
export interface CaseTagRow {
  tag: string;
  case_id: string;
}

export interface CaseTagTables {
  [CASE_TAGS_TABLE]: CaseTagRow;
}

/** The case's tags as rows, kept by CaseTagged / CaseUntagged; a rebuild replays them. */
export const caseTagsProjection: Projection<ComplaintEvent, CaseTagTables> = {
  name: CASE_TAGS_PROJECTION,
  async apply<DB extends CaseTagTables>(trx: Queryable<DB>, events: readonly RecordedEvent<ComplaintEvent>[]): Promise<void> {
    const db = narrowTables<DB, CaseTagTables>(trx);
    for (const event of events) {
      if (!event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) continue;
      const row = { case_id: event.streamName.slice(COMPLAINT_STREAM_PREFIX.length), tag: '' };
      if (event.type === 'CaseTagged') {
        await db
          .insertInto(CASE_TAGS_TABLE)
          .values({ ...row, tag: event.data.tag })
          .onConflict((conflict) => conflict.columns(['tag', 'case_id']).doNothing())
          .execute();
      } else if (event.type === 'CaseUntagged') {
        await db.deleteFrom(CASE_TAGS_TABLE).where('tag', '=', event.data.tag).where('case_id', '=', row.case_id).execute();
      }
    }
  },
  async reset<DB extends CaseTagTables>(trx: Queryable<DB>): Promise<void> {
    await narrowTables<DB, CaseTagTables>(trx).deleteFrom(CASE_TAGS_TABLE).execute();
  },
};

export const caseTagsMigrations: Record<string, Migration> = {
  '0110_case_tags': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(CASE_TAGS_TABLE)
        .addColumn('tag', 'varchar(64)', (column) => column.notNull())
        .addColumn('case_id', 'varchar(128)', (column) => column.notNull())
        .addPrimaryKeyConstraint(`${CASE_TAGS_TABLE}_pk`, ['tag', 'case_id'])
        .execute();
      await db.schema.createIndex(`${CASE_TAGS_TABLE}_case_id_idx`).on(CASE_TAGS_TABLE).columns(['case_id', 'tag']).execute();
    },
  },
};
