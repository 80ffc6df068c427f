import { CHANNELS, Channel } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../shared/dto-fields';

export class IssueApologyDto {
  @EnumField(CHANNELS, { description: 'How the apology reached the customer', example: 'email' })
  channel!: Channel;

  @TextField({ description: 'The apology as the customer received it', maxLength: 5000, example: 'We are sorry your order arrived damaged: that should not have happened, and it was our mistake.' })
  message!: string;
}
