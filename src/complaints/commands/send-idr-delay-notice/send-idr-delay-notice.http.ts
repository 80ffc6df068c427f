import { BooleanField, TextField, TimestampField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { SendIdrDelayNotice } from './send-idr-delay-notice.decide';

export class SendIdrDelayNoticeDto {
  @TextField({
    description: 'The reasons for the delay, as told to the complainant',
    maxLength: 5000,
    example: 'We are waiting for the merchant’s records of the disputed transactions.',
  })
  reasons!: string;

  @BooleanField({
    description: 'The notice tells the complainant of their right to complain to AFCA if dissatisfied (required: RG 271)',
    example: true,
  })
  afcaRightsExplained!: boolean;

  @TextField({
    description: "AFCA's contact details, as given in the notice (required: RG 271)",
    maxLength: 1000,
    example: 'Australian Financial Complaints Authority, www.afca.org.au, 1800 931 678, GPO Box 3, Melbourne VIC 3001',
  })
  afcaContactDetails!: string;

  @TimestampField({
    description: 'When the firm now expects to give its IDR response; the response falls due then. Must be after the current due instant',
    example: '2027-02-15T17:00:00+11:00',
  })
  expectedBy!: string;
}

@CaseCommandsController()
export class SendIdrDelayNoticeController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/idr-delay-notice')
  @CaseCommandEndpoint({
    operationId: 'sendIdrDelayNotice',
    body: SendIdrDelayNoticeDto,
    summary: 'Send an ASIC IDR delay notification',
    description:
      'ASIC only, before the IDR timeframe ends (RG 271): tells the complainant the reasons for the delay, their right to complain ' +
      'to AFCA and how to reach AFCA. The IDR response is still owed: it falls due at `expectedBy`, and breaches after that.',
  })
  sendIdrDelayNotice(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: SendIdrDelayNoticeDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<SendIdrDelayNotice>(http, {
      id: caseId,
      build: () => ({ type: 'SendIdrDelayNotice', data: body }),
    });
  }
}
