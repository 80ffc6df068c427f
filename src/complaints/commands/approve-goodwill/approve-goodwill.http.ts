import { TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, OfferIdParams } from '../../case-commands';
import type { ApproveGoodwill } from './approve-goodwill.decide';

export class ApproveGoodwillDto {
  @TextField({
    description: "The supervisor's note on the approval",
    optional: true,
    maxLength: 5000,
    example: 'Approved: long-standing customer, second failed delivery this month.',
  })
  note?: string;
}

@CaseCommandsController()
export class ApproveGoodwillController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/goodwill/:offerId/approve')
  @CaseCommandEndpoint({
    operationId: 'approveGoodwill',
    body: ApproveGoodwillDto,
    onOffer: true,
    summary: 'Approve a goodwill offer (supervisor)',
    description: "A supervisor approves an offer that exceeded the offering agent's authority.",
  })
  approveGoodwill(
    @Param() { caseId, offerId }: OfferIdParams,
    @CommandBody() body: ApproveGoodwillDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<ApproveGoodwill>(http, {
      id: caseId,
      build: () => ({ type: 'ApproveGoodwill', data: { offerId: offerId, note: body.note } }),
    });
  }
}
