import { TextField } from '../shared/dto-fields';

export class WithdrawComplaintDto {
  @TextField({ description: 'Why the customer withdrew the complaint, if they said', optional: true, maxLength: 5000, example: 'The parcel turned up at a neighbour; customer no longer wishes to complain.' })
  reason?: string;
}
