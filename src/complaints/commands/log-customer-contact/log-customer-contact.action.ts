import { caseAction } from '../shared/case-action';
import { LogCustomerContactDto } from './log-customer-contact.dto';

export const logCustomerContact = caseAction({
  path: 'log-contact',
  operationId: 'logCustomerContact',
  summary: 'Log a contact with the customer',
  description: 'Records a conversation with the customer, inbound or outbound, so the case shows the customer was heard.',
  body: LogCustomerContactDto,
  toCommand: ({ body }) => ({ type: 'LogCustomerContact', data: body }),
});
