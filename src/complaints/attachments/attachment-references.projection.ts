import type { Kysely, Migration } from 'kysely';
import type { RecordedEvent } from '../../core/event-store/event-store.port';
import type { Projection } from '../../core/projections/projection';
import { insertRows, narrowTables, type Queryable } from '../../core/read-store/read-store';
import { sealedBy } from '../../privacy/public';
import { COMPLAINT_STREAM_PREFIX } from '../domain/complaint.decider';
import type { ComplaintEvent } from '../domain/complaint.events';

export const ATTACHMENT_REFERENCES_TABLE = 'attachment_references';
export const ATTACHMENT_REFERENCES_PROJECTION = 'attachment-references';

/**
 * One row per attachment on a case: which stored file (by SHA-256) it is, and whose key sealed its name (the customer and
 * key generation), so an erasure can tell whether a file is still referenced by anyone whose data lives. Null owner: a
 * name that was not sealed, which counts as live for ever.
 */
export interface AttachmentReferenceRow {
  case_id: string;
  attachment_id: string;
  sha256: string;
  customer_id: string | null;
  key_generation: number | null;
}

export interface AttachmentReferenceTables {
  [ATTACHMENT_REFERENCES_TABLE]: AttachmentReferenceRow;
}

/** A batch's attachments in as few statements as the parameter limit allows; an attachment already referenced stays as it was. */
export const attachmentReferencesProjection: Projection<ComplaintEvent, AttachmentReferenceTables> = {
  name: ATTACHMENT_REFERENCES_PROJECTION,
  async apply<DB extends AttachmentReferenceTables>(trx: Queryable<DB>, events: readonly RecordedEvent<ComplaintEvent>[]): Promise<void> {
    const rows = events.flatMap((event) => {
      if (event.type !== 'AttachmentAdded' || !event.streamName.startsWith(COMPLAINT_STREAM_PREFIX)) return [];
      const owner = sealedBy(event.data.name);
      const caseId = event.streamName.slice(COMPLAINT_STREAM_PREFIX.length);
      return [[caseId, event.data.attachmentId, event.data.sha256, owner?.customerId ?? null, owner?.keyGeneration ?? null]];
    });
    await insertRows(
      trx,
      ATTACHMENT_REFERENCES_TABLE,
      { case_id: 'text', attachment_id: 'text', sha256: 'text', customer_id: 'text', key_generation: 'integer' },
      rows,
      'on conflict ("case_id", "attachment_id") do nothing',
    );
  },
  async reset<DB extends AttachmentReferenceTables>(trx: Queryable<DB>): Promise<void> {
    await narrowTables<DB, AttachmentReferenceTables>(trx).deleteFrom(ATTACHMENT_REFERENCES_TABLE).execute();
  },
};

export const attachmentReferencesMigrations: Record<string, Migration> = {
  '0551_attachment_references': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(ATTACHMENT_REFERENCES_TABLE)
        .addColumn('case_id', 'varchar(128)', (column) => column.notNull())
        .addColumn('attachment_id', 'varchar(128)', (column) => column.notNull())
        .addColumn('sha256', 'varchar(64)', (column) => column.notNull())
        .addColumn('customer_id', 'varchar(128)')
        .addColumn('key_generation', 'integer')
        .addPrimaryKeyConstraint(`${ATTACHMENT_REFERENCES_TABLE}_pk`, ['case_id', 'attachment_id'])
        .execute();
      for (const column of ['sha256', 'customer_id'])
        await db.schema
          .createIndex(`${ATTACHMENT_REFERENCES_TABLE}_${column}_idx`)
          .on(ATTACHMENT_REFERENCES_TABLE)
          .column(column)
          .execute();
    },
  },
};
