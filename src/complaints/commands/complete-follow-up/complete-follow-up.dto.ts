import { BooleanField, IntegerField, TextField } from '../shared/dto-fields';

export class CompleteFollowUpDto {
  @BooleanField({ description: 'Whether the customer is satisfied with the resolution', example: true })
  satisfied!: boolean;

  @IntegerField({ description: 'Customer satisfaction score, 1 (very dissatisfied) to 5 (very satisfied)', min: 1, max: 5, example: 4 })
  csat!: number;

  @IntegerField({ description: 'How likely the customer is to recommend us, 0 to 10 (net promoter score)', optional: true, min: 0, max: 10, example: 9 })
  nps?: number;

  @TextField({ description: 'What the customer said at follow-up', optional: true, maxLength: 5000, example: 'Sorted quickly, thank you. The new courier was much better.' })
  comment?: string;
}
