import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ProjectionsService } from '../../core/projections/projections.service';
import { READ_STORE, narrowTables, type ReadStore } from '../../core/read-store/read-store';
import { ErasureFollowUps, PersonalDataKeys, type RecordedErasure } from '../../privacy/public';
import { ATTACHMENT_STORE, type AttachmentStore } from './attachment-store';
import {
  ATTACHMENT_REFERENCES_PROJECTION,
  ATTACHMENT_REFERENCES_TABLE,
  type AttachmentReferenceRow,
  type AttachmentReferenceTables,
} from './attachment-references.projection';

const logger = new Logger('Attachments');

/**
 * An erasure's part in the attachments: the customer's files are removed from the store, except a file another case still
 * references under a key that lives (the same bytes uploaded for someone not erased). The events stay as they are: the
 * name was sealed (it now reads `[erased]`), size, type and SHA-256 stay in the clear so the audit chain still verifies.
 */
@Injectable()
export class EraseAttachments implements OnModuleInit {
  constructor(
    private readonly followUps: ErasureFollowUps,
    private readonly projections: ProjectionsService,
    @Inject(READ_STORE) private readonly readStore: ReadStore<AttachmentReferenceTables>,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @Inject(PersonalDataKeys) private readonly keys: PersonalDataKeys,
  ) {}

  onModuleInit(): void {
    this.followUps.register('attachments', (erasure) => this.erase(erasure));
  }

  async erase({ customerId, position }: RecordedErasure): Promise<void> {
    // Every attachment added before the erasure is among the references once the projection reached it.
    await this.projections.ensureReached(ATTACHMENT_REFERENCES_PROJECTION, position);
    const db = narrowTables<AttachmentReferenceTables, AttachmentReferenceTables>(this.readStore.db);
    const theirs = await db
      .selectFrom(ATTACHMENT_REFERENCES_TABLE)
      .select('sha256')
      .distinct()
      .where('customer_id', '=', customerId)
      .execute();
    let removed = 0;
    for (const { sha256 } of theirs) {
      const references = await db.selectFrom(ATTACHMENT_REFERENCES_TABLE).selectAll().where('sha256', '=', sha256).execute();
      if (references.some((reference) => !this.erased(reference))) continue;
      this.store.remove(sha256);
      removed++;
    }
    if (removed > 0) logger.log(`Erasure of customer ${customerId}: ${removed} attachment file(s) removed`);
  }

  /** Whether the data of the reference's owner, as it was when the attachment was added, was erased. */
  private erased(reference: AttachmentReferenceRow): boolean {
    if (reference.customer_id === null || reference.key_generation === null) return false;
    return this.keys.lookup(reference.customer_id, reference.key_generation).state === 'erased';
  }
}
