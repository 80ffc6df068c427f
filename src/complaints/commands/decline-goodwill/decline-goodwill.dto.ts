import { TextField } from '../shared/dto-fields';

export class DeclineGoodwillDto {
  @TextField({ description: 'Why the supervisor declines the offer', maxLength: 5000, example: 'A full refund exceeds what the failure warrants; offer a partial refund instead.' })
  reason!: string;
}
