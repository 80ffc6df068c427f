import { caseAction } from '../shared/case-action';
import { AcknowledgeComplaintDto } from './acknowledge-complaint.dto';

export const acknowledgeComplaint = caseAction({
  path: 'acknowledge',
  operationId: 'acknowledgeComplaint',
  summary: 'Acknowledge the complaint to the customer',
  description: 'The first acknowledgement stops the acknowledgement clock; later ones are recorded too.',
  body: AcknowledgeComplaintDto,
  toCommand: ({ body }) => ({ type: 'AcknowledgeComplaint', data: body }),
});
