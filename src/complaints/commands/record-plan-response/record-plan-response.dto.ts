import { PLAN_RESPONSES, PlanResponse } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../shared/dto-fields';

export class RecordPlanResponseDto {
  @EnumField(PLAN_RESPONSES, { description: 'Whether the customer accepted or rejected the current resolution plan', example: 'accepted' })
  response!: PlanResponse;

  @TextField({ description: 'What the customer said about the plan', optional: true, maxLength: 5000, example: 'Happy with the replacement, as long as it arrives before Friday.' })
  comment?: string;
}
