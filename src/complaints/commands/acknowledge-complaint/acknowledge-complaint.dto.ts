import { CHANNELS, Channel } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../shared/dto-fields';

export class AcknowledgeComplaintDto {
  @EnumField(CHANNELS, { description: 'How the acknowledgement reached the customer', example: 'email' })
  channel!: Channel;

  @TextField({ description: 'What the customer was told', maxLength: 5000, example: 'We have received your complaint and will reply within 3 days.' })
  message!: string;
}
