import { OUTCOMES, Outcome } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../shared/dto-fields';

export class ResolveComplaintDto {
  @TextField({ description: 'How the complaint was resolved', maxLength: 5000, example: 'Replacement delivered on 28 November and the delivery charge refunded.' })
  resolution!: string;

  @EnumField(OUTCOMES, { description: 'The outcome for the customer; must fit the assessment (an unjustified complaint is not upheld, a justified one not rejected)', example: 'upheld' })
  outcome!: Outcome;
}
