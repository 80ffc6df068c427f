import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import {
  ASIC_COMPLAINT_TYPES,
  AsicComplaintType,
  JUSTIFIED,
  Justified,
  ROOT_CAUSES,
  RootCause,
  SEVERITIES,
  Severity,
} from '../../domain/complaint.vocabulary';
import { BooleanField, EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { AssessComplaint } from './assess-complaint.decide';

/** A category is a lowercase slug, so the same failure is always counted under the same name. */
export const CATEGORY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class AssessComplaintDto {
  @ApiProperty({ pattern: CATEGORY_PATTERN.source })
  @Matches(CATEGORY_PATTERN, { message: '$property must be a lowercase slug of letters, digits and single hyphens, e.g. late-delivery' })
  @TextField({
    description: 'What the complaint is about, as a lowercase slug (used to group complaints and spot systemic issues)',
    maxLength: 64,
    example: 'delivery',
  })
  category!: string;

  @EnumField(SEVERITIES, { description: 'How serious the failure is for the customer', example: 'medium' })
  severity!: Severity;

  @EnumField(JUSTIFIED, {
    description: 'Whether the complaint is justified (our error), not justified, or partly justified',
    example: 'yes',
  })
  justified!: Justified;

  @EnumField(ROOT_CAUSES, {
    description: 'Why it happened: a systemic cause calls for a system fix, a one-off for an apology',
    example: 'one-off',
  })
  rootCause!: RootCause;

  @TextField({
    description: 'What the investigation found',
    maxLength: 5000,
    example: 'The courier left the parcel outside in the rain despite the "signature required" flag.',
  })
  findings!: string;

  @ApiPropertyOptional({ pattern: '^[a-z0-9-]+/[a-z0-9-]+$' })
  @Matches(/^[a-z0-9-]+\/[a-z0-9-]+$/, { message: '$property must be a two-level root-cause code, e.g. delivery/late' })
  @TextField({
    description: "The root cause in the firm's two-level taxonomy (`<category>/<cause>`); its first level must be the category",
    optional: true,
    maxLength: 129,
    example: 'delivery/late',
  })
  causeCode?: string;

  @BooleanField({
    description:
      'FCA: the assessment found a payment-services or e-money complaint; from now on its final response is due by the end of the ' +
      '15th business day after receipt (DISP 1.6.2AR), 35 after a holding reply. Cannot be undone.',
    optional: true,
    example: false,
  })
  paymentServices?: boolean;

  @EnumField(ASIC_COMPLAINT_TYPES, {
    description:
      'ASIC (RG 271): the assessment found a complaint type with its own maximum IDR timeframe (21 calendar days for default ' +
      'notices, hardship and postponement requests; 45 for a superannuation trustee); from now on the IDR response is due that ' +
      'many days after receipt. Cannot be changed once set.',
    optional: true,
    example: 'hardship-notice',
  })
  asicComplaintType?: AsicComplaintType;
}

@CaseCommandsController()
export class AssessComplaintController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/assess')
  @CaseCommandEndpoint({
    operationId: 'assessComplaint',
    body: AssessComplaintDto,
    summary: 'Assess the complaint',
    description:
      'Records whether the complaint is justified, how severe it is and its root cause; a later assessment replaces the earlier one.',
  })
  assessComplaint(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: AssessComplaintDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<AssessComplaint>(http, {
      id: caseId,
      build: () => ({ type: 'AssessComplaint', data: body }),
    });
  }
}
