import { TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, OfferIdParams } from '../../case-commands';
import type { FulfilGoodwill } from './fulfil-goodwill.decide';

export class FulfilGoodwillDto {
  @TextField({
    description: 'Proof of fulfilment in another system, e.g. the refund transaction id or coupon code',
    optional: true,
    maxLength: 500,
    example: 'refund-txn-8842113',
  })
  reference?: string;
}

@CaseCommandsController()
export class FulfilGoodwillController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/goodwill/:offerId/fulfil')
  @CaseCommandEndpoint({
    operationId: 'fulfilGoodwill',
    body: FulfilGoodwillDto,
    onOffer: true,
    summary: 'Record that a goodwill offer was fulfilled',
    description: 'Only an approved offer the customer accepted can be fulfilled.',
  })
  fulfilGoodwill(
    @Param() { caseId, offerId }: OfferIdParams,
    @CommandBody() body: FulfilGoodwillDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<FulfilGoodwill>(http, {
      id: caseId,
      build: () => ({ type: 'FulfilGoodwill', data: { offerId: offerId, reference: body.reference } }),
    });
  }
}
