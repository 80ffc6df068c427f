import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { TimestampField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import {
  CASE_COMMANDS,
  CaseCommandEndpoint,
  CaseCommandResponseDto,
  CaseCommands,
  CaseCommandsController,
  CaseIdParams,
} from '../../case-commands';
import type { CommunicateResolutionPlan } from './communicate-resolution-plan.decide';

export class CommunicateResolutionPlanDto {
  @ApiProperty({
    type: [String],
    description: 'What we will do, step by step, as told to the customer (1 to 20 steps, each 1 to 1000 characters)',
    minItems: 1,
    maxItems: 20,
    example: ['Send a replacement by express delivery', 'Refund the delivery charge'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(1000, { each: true })
  actions!: string[];

  @TimestampField({ description: 'When the plan will have been carried out; must be in the future', example: '2026-11-30T17:00:00Z' })
  dueBy!: string;
}

/** The answer to communicateResolutionPlan: the case's revision and position, and the planId created. */
export class PlanCommunicatedResponseDto extends CaseCommandResponseDto {
  @ApiProperty({ description: 'The resolution plan communicated', example: 'plan-1' }) planId!: string;
}

@CaseCommandsController()
export class CommunicateResolutionPlanController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/plan')
  @CaseCommandEndpoint({
    operationId: 'communicateResolutionPlan',
    response: PlanCommunicatedResponseDto,
    body: CommunicateResolutionPlanDto,
    summary: 'Tell the customer what we will do',
    description:
      'Records the resolution plan as communicated to the customer, who then accepts or rejects it. A new plan supersedes the current one. The response carries the new `planId`.',
  })
  communicateResolutionPlan(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: CommunicateResolutionPlanDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<CommunicateResolutionPlan>(http, {
      id: caseId,
      build: ({ newId }) => ({
        type: 'CommunicateResolutionPlan',
        data: { planId: newId('plan'), actions: body.actions, dueBy: body.dueBy },
      }),
      respondWith: ({ data }) => ({ planId: data.planId }),
    });
  }
}
