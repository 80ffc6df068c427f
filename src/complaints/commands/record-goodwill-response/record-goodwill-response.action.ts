import { caseAction } from '../shared/case-action';
import { RecordGoodwillResponseDto } from './record-goodwill-response.dto';

export const recordGoodwillResponse = caseAction({
  path: 'goodwill/:offerId/response',
  operationId: 'recordGoodwillResponse',
  summary: "Record the customer's answer to a goodwill offer",
  description: 'The customer accepts or declines an approved offer.',
  body: RecordGoodwillResponseDto,
  // The route always carries :offerId.
  toCommand: ({ offerId, body }) => ({
    type: 'RecordGoodwillResponse',
    data: { offerId: offerId!, response: body.response, comment: body.comment },
  }),
});
