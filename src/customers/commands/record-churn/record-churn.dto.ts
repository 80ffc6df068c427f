import { TextField, TimestampField } from '../../../complaints/commands/shared/dto-fields';

/** The body of `POST /customers/:customerId/churn`: the customer left (closed the account, cancelled, said goodbye). */
export class RecordChurnDto {
  @TextField({ description: 'Why the customer left, if known', optional: true, maxLength: 2000, example: 'Closed the account after the second late delivery' })
  reason?: string;

  @TimestampField({ description: 'When the customer left; never in the future. Defaults to now.', optional: true, example: '2026-12-02T16:00:00Z' })
  at?: string;
}
