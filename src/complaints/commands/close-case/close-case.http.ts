import { CLOSE_REASONS, CloseReason } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { CloseCase } from './close-case.decide';

export class CloseCaseDto {
  @EnumField(CLOSE_REASONS, {
    description: 'Why the case is closed; may be omitted when the case was followed up or withdrawn (then it is inferred)',
    optional: true,
    example: 'follow-up-completed',
  })
  reason?: CloseReason;

  @TextField({
    description: 'Anything worth knowing about the closure',
    optional: true,
    maxLength: 5000,
    example: 'Customer confirmed by phone that nothing further is needed.',
  })
  note?: string;
}

@CaseCommandsController()
export class CloseCaseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/close')
  @CaseCommandEndpoint({
    operationId: 'closeCase',
    body: CloseCaseDto,
    summary: 'Close the case',
    description:
      'Closes the case; a case neither followed up nor withdrawn needs an explicit reason. Accepted goodwill must be fulfilled first.',
  })
  closeCase(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: CloseCaseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<CloseCase>(http, {
      id: caseId,
      build: () => ({ type: 'CloseCase', data: body }),
    });
  }
}
