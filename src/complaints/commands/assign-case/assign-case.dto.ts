import { IdField } from '../shared/dto-fields';

export class AssignCaseDto {
  @IdField({ description: 'The agent who now owns the case', example: 'agent-42' })
  agentId!: string;

  @IdField({ description: 'The team the case is assigned to, if any', optional: true, example: 'complaints-tier-1' })
  team?: string;
}
