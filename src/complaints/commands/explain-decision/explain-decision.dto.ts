import { CHANNELS, Channel } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../shared/dto-fields';

export class ExplainDecisionDto {
  @EnumField(CHANNELS, { description: 'How the explanation reached the customer', example: 'letter' })
  channel!: Channel;

  @TextField({ description: 'The polite explanation as the customer received it, thanking them for raising the matter', maxLength: 5000, example: 'Thank you for telling us. The fee applies because the order was changed after dispatch; here is how it was calculated.' })
  message!: string;
}
