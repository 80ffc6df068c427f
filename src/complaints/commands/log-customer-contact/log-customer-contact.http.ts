import { CHANNELS, CONTACT_DIRECTIONS, Channel, ContactDirection } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { LogCustomerContact } from './log-customer-contact.decide';

export class LogCustomerContactDto {
  @EnumField(CONTACT_DIRECTIONS, { description: 'Who started the contact: the customer (inbound) or us (outbound)', example: 'outbound' })
  direction!: ContactDirection;

  @EnumField(CHANNELS, { description: 'How the contact took place', example: 'phone' })
  channel!: Channel;

  @TextField({
    description: 'What was said: enough for a colleague to see the customer was heard',
    maxLength: 500,
    example: 'Called the customer; they explained the parcel arrived damaged and want a replacement.',
  })
  summary!: string;
}

@CaseCommandsController()
export class LogCustomerContactController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/log-contact')
  @CaseCommandEndpoint({
    operationId: 'logCustomerContact',
    body: LogCustomerContactDto,
    summary: 'Log a contact with the customer',
    description: 'Records a conversation with the customer, inbound or outbound, so the case shows the customer was heard.',
  })
  logCustomerContact(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: LogCustomerContactDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<LogCustomerContact>(http, {
      id: caseId,
      build: () => ({ type: 'LogCustomerContact', data: body }),
    });
  }
}
