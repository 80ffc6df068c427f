import { CHANNELS, CONTACT_DIRECTIONS, Channel, ContactDirection } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../shared/dto-fields';

export class LogCustomerContactDto {
  @EnumField(CONTACT_DIRECTIONS, { description: 'Who started the contact: the customer (inbound) or us (outbound)', example: 'outbound' })
  direction!: ContactDirection;

  @EnumField(CHANNELS, { description: 'How the contact took place', example: 'phone' })
  channel!: Channel;

  @TextField({ description: 'What was said: enough for a colleague to see the customer was heard', maxLength: 500, example: 'Called the customer; they explained the parcel arrived damaged and want a replacement.' })
  summary!: string;
}
