import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { NotFoundError } from '../../../core/errors';
import { EVENT_STORE, EventStore } from '../../../core/event-store/event-store.port';
import { ApiProblems } from '../../../core/http/openapi-shapes';
import { ProblemError } from '../../../core/http/problem-details';
import { ID_PATTERN } from '../../../core/identifiers';
import { ERASED, PersonalDataProtection } from '../../../privacy/public';
import { ATTACHMENT_STORE, type AttachmentStore } from '../../attachments/attachment-store';
import { ALLOWED_ATTACHMENT_TYPES } from '../../attachments/sniff';
import { CaseIdParams } from '../../case-commands';
import { complaintStreamName } from '../../domain/complaint.decider';
import type { AttachmentAdded } from '../../domain/complaint.events';

export class AttachmentParams extends CaseIdParams {
  @ApiProperty({
    description: "The attachment id returned by POST /cases/{caseId}/attachments (and listed in the case view's `attachments`)",
    example: '6b7c1f0e-2d3a-5e4b-8c9d-0a1b2c3d4e5f',
  })
  @Matches(ID_PATTERN, { message: '$property may hold only letters, digits and - _ . : (1 to 128 characters)' })
  attachmentId!: string;
}

/** A case's file, exactly as uploaded: its bytes are checked against the SHA-256 the case's history recorded. */
@ApiTags('cases')
@Controller('cases')
export class AttachmentController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @Inject(PersonalDataProtection) private readonly personalData: PersonalDataProtection,
  ) {}

  @Get(':caseId/attachments/:attachmentId')
  @ApiOperation({ operationId: 'getAttachment', summary: 'Download an attachment; its bytes are checked against the recorded SHA-256' })
  @ApiResponse({
    status: 200,
    description: 'The file exactly as uploaded, as the content type sniffed from its first bytes when it was uploaded',
    content: Object.fromEntries(
      ALLOWED_ATTACHMENT_TYPES.map((type) => [
        type,
        { schema: { type: 'string', format: 'binary', description: 'The bytes of the file' } },
      ]),
    ),
    headers: {
      'X-Content-SHA256': {
        description: "The file's SHA-256 (hex), as AttachmentAdded recorded it: the bytes were checked against it",
        schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
      'Content-Disposition': {
        description: 'attachment, with the name it was uploaded under',
        schema: { type: 'string', example: 'attachment; filename="photo.png"' },
      },
    },
  })
  @ApiProblems(
    [400, 'An invalid case or attachment id'],
    [404, 'No such case, or no such attachment on it'],
    [409, 'attachment-altered: the stored bytes are missing or no longer match the SHA-256 recorded when they were uploaded'],
    [410, "attachment-erased: the customer's personal data was erased, and the file with it"],
  )
  async download(@Param() { caseId, attachmentId }: AttachmentParams, @Res() reply: FastifyReply): Promise<void> {
    const added = (await this.events.readStream(complaintStreamName(caseId))).find(
      (event) => event.type === 'AttachmentAdded' && (event.data as AttachmentAdded['data']).attachmentId === attachmentId,
    );
    if (!added) throw new NotFoundError(`Attachment ${attachmentId} does not exist on case ${caseId}`);
    const { sha256, contentType, name } = added.data as AttachmentAdded['data'];
    const opened = this.personalData.opener().openValue(name, { streamName: added.streamName, field: 'AttachmentAdded/name' });
    // Checked before the store: the same bytes may be there again, uploaded for someone else, and are not this customer's.
    if (opened === ERASED)
      throw new ProblemError('attachment-erased', `Attachment ${attachmentId} belonged to a customer whose personal data was erased.`);
    const stream = this.store.open(sha256);
    if (!stream) throw altered("The attachment's bytes are missing from the store.");
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    // Served only as recorded: bytes changed on disk would otherwise pass as the customer's evidence.
    if (createHash('sha256').update(bytes).digest('hex') !== sha256)
      throw altered('The stored bytes do not match the SHA-256 recorded when they were uploaded.');
    const filename = opened.replace(/[^\w.\- ]/g, '_');
    await reply
      .type(contentType)
      .header('x-content-sha256', sha256)
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('x-content-type-options', 'nosniff')
      .send(bytes);
  }
}

function altered(detail: string): ProblemError {
  return new ProblemError('attachment-altered', detail);
}
