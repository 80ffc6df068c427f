import { BooleanField, IntegerField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { CompleteFollowUp } from './complete-follow-up.decide';

export class CompleteFollowUpDto {
  @BooleanField({ description: 'Whether the customer is satisfied with the resolution', example: true })
  satisfied!: boolean;

  @IntegerField({ description: 'Customer satisfaction score, 1 (very dissatisfied) to 5 (very satisfied)', min: 1, max: 5, example: 4 })
  csat!: number;

  @IntegerField({
    description: 'How likely the customer is to recommend us, 0 to 10 (net promoter score)',
    optional: true,
    min: 0,
    max: 10,
    example: 9,
  })
  nps?: number;

  @TextField({
    description: 'What the customer said at follow-up',
    optional: true,
    maxLength: 5000,
    example: 'Sorted quickly, thank you. The new courier was much better.',
  })
  comment?: string;
}

@CaseCommandsController()
export class CompleteFollowUpController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/follow-up')
  @CaseCommandEndpoint({
    operationId: 'completeFollowUp',
    body: CompleteFollowUpDto,
    summary: 'Record the follow-up with the customer',
    description: 'Confirms whether the customer is satisfied after the resolution (CSAT, optional NPS); only on a resolved complaint.',
  })
  completeFollowUp(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: CompleteFollowUpDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<CompleteFollowUp>(http, {
      id: caseId,
      build: () => ({ type: 'CompleteFollowUp', data: body }),
    });
  }
}
