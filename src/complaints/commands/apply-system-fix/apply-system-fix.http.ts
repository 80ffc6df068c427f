import { ApiProperty } from '@nestjs/swagger';
import { BooleanField, IdField, TextField, TimestampField } from '../../../core/http/dto-fields';
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
import type { ApplySystemFix } from './apply-system-fix.decide';

export class ApplySystemFixDto {
  @IdField({
    description: 'Your id for the fix, unique on the case; generated when omitted',
    optional: true,
    example: 'fix-courier-signature',
  })
  fixId?: string;

  @TextField({
    description: 'What was wrong with the system and what was changed',
    maxLength: 5000,
    example: 'Courier app ignored the "signature required" flag for parcels over £50.',
  })
  description!: string;

  @TextField({
    description: 'The new procedure, as staff will now follow it',
    maxLength: 5000,
    example: 'Parcels flagged "signature required" cannot be marked delivered without a captured signature.',
  })
  procedureChange!: string;

  @TimestampField({ description: 'When the new procedure takes effect', example: '2026-12-01T00:00:00Z' })
  effectiveFrom!: string;

  @BooleanField({ description: 'Whether the customer has been told about the change', example: true })
  customerNotified!: boolean;
}

/** The answer to applySystemFix: the case's revision and position, and the fixId created. */
export class SystemFixAppliedResponseDto extends CaseCommandResponseDto {
  @ApiProperty({ description: 'The system fix recorded', example: 'fix-1' }) fixId!: string;
}

@CaseCommandsController()
export class ApplySystemFixController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/system-fix')
  @CaseCommandEndpoint({
    operationId: 'applySystemFix',
    response: SystemFixAppliedResponseDto,
    body: ApplySystemFixDto,
    summary: 'Record a fix to the system that caused the complaint',
    description: 'Needs the complaint assessed as justified (or partly) with a systemic root cause. The response carries the `fixId`.',
  })
  applySystemFix(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: ApplySystemFixDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<ApplySystemFix>(http, {
      id: caseId,
      build: ({ newId }) => ({
        type: 'ApplySystemFix',
        data: {
          fixId: body.fixId ?? newId('fix'),
          description: body.description,
          procedureChange: body.procedureChange,
          effectiveFrom: body.effectiveFrom,
          customerNotified: body.customerNotified,
        },
      }),
      respondWith: ({ data }) => ({ fixId: data.fixId }),
    });
  }
}
