import { TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { AddInternalNote } from './add-internal-note.decide';

export class AddInternalNoteDto {
  @TextField({
    description: 'The note, for staff only',
    maxLength: 10_000,
    example: 'Customer prefers a call after 5pm; spoke to courier depot.',
  })
  text!: string;
}

@CaseCommandsController()
export class AddInternalNoteController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/notes')
  @CaseCommandEndpoint({
    operationId: 'addInternalNote',
    body: AddInternalNoteDto,
    summary: 'Add an internal note (staff only)',
    description:
      "A note for colleagues: shown on the case to staff, never to the customer nor in a letter. Sealed like the customer's words, so erasure removes it. The response carries the `noteId`.",
  })
  addInternalNote(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: AddInternalNoteDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<AddInternalNote>(http, {
      id: caseId,
      build: ({ newId }) => ({ type: 'AddInternalNote', data: { noteId: newId('note'), text: body.text } }),
      respondWith: ({ data }) => ({ noteId: data.noteId }),
    });
  }
}
