import { GOODWILL_RESPONSES, GoodwillResponse } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../shared/dto-fields';

export class RecordGoodwillResponseDto {
  @EnumField(GOODWILL_RESPONSES, { description: 'Whether the customer accepted or declined the offer', example: 'accepted' })
  response!: GoodwillResponse;

  @TextField({ description: 'What the customer said about the offer', optional: true, maxLength: 5000, example: 'Thanks, a refund to my card is fine.' })
  comment?: string;
}
