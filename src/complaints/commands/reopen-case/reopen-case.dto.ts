import { TextField } from '../shared/dto-fields';

export class ReopenCaseDto {
  @TextField({ description: 'Why the case is reopened', maxLength: 5000, example: 'The replacement arrived damaged as well; customer is not satisfied.' })
  reason!: string;
}
