import { Inject, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiConsumes, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { ReceiveAttachmentInterceptor, uploadOf } from '../../attachments/attachment-uploads';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { AddAttachment } from './add-attachment.decide';

/** The body is multipart/form-data with one file part; the fields the event records are read from the file itself. */
export class AddAttachmentDto {
  @ApiPropertyOptional({ type: 'string', format: 'binary', description: 'The file (one part; its name is kept)', example: 'photo.png' })
  @IsOptional()
  file?: unknown;
}

@CaseCommandsController()
export class AddAttachmentController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/attachments')
  @UseInterceptors(ReceiveAttachmentInterceptor)
  @ApiConsumes('multipart/form-data')
  @CaseCommandEndpoint({
    operationId: 'addAttachment',
    body: AddAttachmentDto,
    summary: 'Attach a file to the case (multipart/form-data, one file part)',
    description:
      'Streams the file into the content-addressed attachment store (size limit ATTACHMENT_MAX_BYTES; PDF, PNG, JPEG or plain text, judged by its first bytes) and records AttachmentAdded with its name, size, type and SHA-256. 413 too large, 415 a type not allowed, 400 a truncated body, 408 an upload that paused longer than STREAM_IDLE_TIMEOUT_MS or took longer than ATTACHMENT_TIMEOUT_MS: nothing is kept. The response carries the `attachmentId` and `sha256`.',
    bodyProblems: {
      400: 'upload-incomplete: the multipart body could not be read to its end; validation: no file part, or an empty file (in `errors`)',
      408: 'request-timeout: no byte of the upload for STREAM_IDLE_TIMEOUT_MS, or not whole within ATTACHMENT_TIMEOUT_MS (the connection is closed)',
      413: 'attachment-too-large: the file is larger than ATTACHMENT_MAX_BYTES',
      415: 'unsupported-media-type: the body is not multipart/form-data; attachment-type-not-allowed: the file is not PDF, PNG, JPEG or plain text',
    },
  })
  addAttachment(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() _body: AddAttachmentDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    const upload = uploadOf(http.request);
    return this.cases.handle<AddAttachment>(http, {
      id: caseId,
      build: ({ newId }) => ({
        type: 'AddAttachment',
        data: {
          attachmentId: newId('attachment'),
          name: upload?.name ?? '',
          size: upload?.size ?? 0,
          contentType: upload?.contentType ?? '',
          sha256: upload?.sha256 ?? '',
        },
      }),
      respondWith: ({ data }) => ({ attachmentId: data.attachmentId, sha256: data.sha256 }),
    });
  }
}
