import { IdField, IntegerField, TextField } from '../shared/dto-fields';

export class EscalateCaseDto {
  @TextField({ description: 'Why the case needs a higher level of handling', maxLength: 5000, example: 'Customer has complained three times about the same delivery; needs a team lead.' })
  reason!: string;

  @IntegerField({ description: 'The escalation level to raise the case to; defaults to one above the current level', optional: true, min: 1, max: 10, example: 2 })
  level?: number;

  @IdField({ description: 'The team the case is escalated to, if any', optional: true, example: 'complaints-tier-2' })
  team?: string;
}
