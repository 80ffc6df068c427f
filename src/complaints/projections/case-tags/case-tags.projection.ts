import type { Kysely, Migration } from 'kysely';
import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import type { Projection } from '../../../core/projections/projection';
import { insertRows, narrowTables, type Queryable } from '../../../core/read-store/read-store';
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

/**
 * The case's tags as rows, kept by CaseTagged / CaseUntagged; a rebuild replays them. A batch writes each tag of a case
 * once, as its last event there left it (tagged: inserted unless present; untagged: deleted), in two statements.
 */
export const caseTagsProjection: Projection<ComplaintEvent, CaseTagTables> = {
  name: CASE_TAGS_PROJECTION,
  async apply<DB extends CaseTagTables>(trx: Queryable<DB>, events: readonly RecordedEvent<ComplaintEvent>[]): Promise<void> {
    const last = new Map<string, CaseTagRow & { tagged: boolean }>();
    for (const event of events) {
      if (!event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) continue;
      if (event.type !== 'CaseTagged' && event.type !== 'CaseUntagged') continue;
      const row = { tag: event.data.tag, case_id: event.streamName.slice(COMPLAINT_STREAM_PREFIX.length) };
      last.set(JSON.stringify([row.tag, row.case_id]), { ...row, tagged: event.type === 'CaseTagged' });
    }
    const untagged = [...last.values()].filter((row) => !row.tagged);
    const db = narrowTables<DB, CaseTagTables>(trx);
    for (let start = 0; start < untagged.length; start += DELETES_PER_STATEMENT)
      await db
        .deleteFrom(CASE_TAGS_TABLE)
        .where((eb) =>
          eb.or(
            untagged
              .slice(start, start + DELETES_PER_STATEMENT)
              .map((row) => eb.and([eb('tag', '=', row.tag), eb('case_id', '=', row.case_id)])),
          ),
        )
        .execute();
    const tagged = [...last.values()].filter((row) => row.tagged).map((row) => [row.tag, row.case_id]);
    await insertRows(trx, CASE_TAGS_TABLE, { tag: 'text', case_id: 'text' }, tagged, 'on conflict ("tag", "case_id") do nothing');
  },
  async reset<DB extends CaseTagTables>(trx: Queryable<DB>): Promise<void> {
    await narrowTables<DB, CaseTagTables>(trx).deleteFrom(CASE_TAGS_TABLE).execute();
  },
};

/** Tags removed per DELETE: each is two bound parameters. */
const DELETES_PER_STATEMENT = 500;

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
