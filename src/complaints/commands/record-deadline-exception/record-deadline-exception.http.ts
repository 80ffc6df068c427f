import { DEADLINE_EXCEPTION_GROUNDS, type DeadlineExceptionGround } from '../../domain/complaint.vocabulary';
import { DEADLINE_KINDS, type DeadlineKind } from '../../domain/deadline-policies';
import { EnumField, IdField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { RecordDeadlineException } from './record-deadline-exception.decide';

export class RecordDeadlineExceptionDto {
  @EnumField(DEADLINE_KINDS, { description: 'The deadline that no longer applies', example: 'final-response' })
  kind!: DeadlineKind;

  @EnumField(DEADLINE_EXCEPTION_GROUNDS, { description: 'The regulatory ground for the exception', example: 'duplicate' })
  ground!: DeadlineExceptionGround;

  @TextField({
    description: 'Why the exception applies, in words an auditor can check',
    maxLength: 5000,
    example: 'The customer sent the same complaint by email and by letter; case 8c1e… answers it.',
  })
  reason!: string;

  @IdField({
    description: 'The case (or ombudsman or court reference) the exception rests on; required for a duplicate',
    optional: true,
    example: 'case-8c1e',
  })
  reference?: string;
}

@CaseCommandsController()
export class RecordDeadlineExceptionController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/deadline-exception')
  @CaseCommandEndpoint({
    operationId: 'recordDeadlineException',
    body: RecordDeadlineExceptionDto,
    summary: 'Record a regulatory exception to a deadline',
    description:
      'A supervisor ends a running deadline on a documented regulatory ground (duplicate, out of scope, before the ombudsman or a court, ' +
      'other) with its reason. Closing a case never ends its response duties: this does, before they fall due.',
  })
  recordDeadlineException(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: RecordDeadlineExceptionDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<RecordDeadlineException>(http, {
      id: caseId,
      build: () => ({ type: 'RecordDeadlineException', data: body }),
    });
  }
}
