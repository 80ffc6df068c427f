import { TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, OfferIdParams } from '../../case-commands';
import type { DeclineGoodwill } from './decline-goodwill.decide';

export class DeclineGoodwillDto {
  @TextField({
    description: 'Why the supervisor declines the offer',
    maxLength: 5000,
    example: 'A full refund exceeds what the failure warrants; offer a partial refund instead.',
  })
  reason!: string;
}

@CaseCommandsController()
export class DeclineGoodwillController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/goodwill/:offerId/decline')
  @CaseCommandEndpoint({
    operationId: 'declineGoodwill',
    body: DeclineGoodwillDto,
    onOffer: true,
    summary: 'Decline a goodwill offer (supervisor)',
    description: 'A supervisor declines an offer that is awaiting approval, saying why.',
  })
  declineGoodwill(
    @Param() { caseId, offerId }: OfferIdParams,
    @CommandBody() body: DeclineGoodwillDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<DeclineGoodwill>(http, {
      id: caseId,
      build: () => ({ type: 'DeclineGoodwill', data: { offerId: offerId, reason: body.reason } }),
    });
  }
}
