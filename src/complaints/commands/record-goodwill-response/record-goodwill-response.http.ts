import { GOODWILL_RESPONSES, GoodwillResponse } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, OfferIdParams } from '../../case-commands';
import type { RecordGoodwillResponse } from './record-goodwill-response.decide';

export class RecordGoodwillResponseDto {
  @EnumField(GOODWILL_RESPONSES, { description: 'Whether the customer accepted or declined the offer', example: 'accepted' })
  response!: GoodwillResponse;

  @TextField({
    description: 'What the customer said about the offer',
    optional: true,
    maxLength: 5000,
    example: 'Thanks, a refund to my card is fine.',
  })
  comment?: string;
}

@CaseCommandsController()
export class RecordGoodwillResponseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/goodwill/:offerId/response')
  @CaseCommandEndpoint({
    operationId: 'recordGoodwillResponse',
    body: RecordGoodwillResponseDto,
    onOffer: true,
    summary: "Record the customer's answer to a goodwill offer",
    description: 'The customer accepts or declines an approved offer.',
  })
  recordGoodwillResponse(
    @Param() { caseId, offerId }: OfferIdParams,
    @CommandBody() body: RecordGoodwillResponseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<RecordGoodwillResponse>(http, {
      id: caseId,
      build: () => ({
        type: 'RecordGoodwillResponse',
        data: { offerId: offerId, response: body.response, comment: body.comment },
      }),
    });
  }
}
