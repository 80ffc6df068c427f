import { TextField } from '../shared/dto-fields';

export class ApproveGoodwillDto {
  @TextField({ description: "The supervisor's note on the approval", optional: true, maxLength: 5000, example: 'Approved: long-standing customer, second failed delivery this month.' })
  note?: string;
}
