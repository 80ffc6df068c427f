import {
  FIVE_DAY_ROUTE_BASES,
  FiveDayRouteBasis,
  HARDSHIP_MATTERS,
  HardshipMatter,
  OUTCOMES,
  Outcome,
  WRITTEN_IDR_RESPONSE_MATTERS,
  WrittenIdrResponseMatter,
} from '../../domain/complaint.vocabulary';
import { BooleanField, EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { ResolveComplaint } from './resolve-complaint.decide';

export class ResolveComplaintDto {
  @TextField({
    description: 'How the complaint was resolved',
    maxLength: 5000,
    example: 'Replacement delivered on 28 November and the delivery charge refunded.',
  })
  resolution!: string;

  @EnumField(OUTCOMES, {
    description:
      'The outcome for the customer; must fit the assessment (an unjustified complaint is not upheld, a justified one not rejected)',
    example: 'upheld',
  })
  outcome!: Outcome;

  @BooleanField({
    description:
      'FCA (DISP 1.5): the resolution is sent as a summary resolution communication, allowed only by the end of the third business day after receipt. ' +
      'ASIC (RG 271): closed without a written IDR response, allowed only by the end of the fifth business day after receipt, ' +
      'and neither when the complainant asked for a written response nor when the complaint is about hardship; ' +
      'then `fiveDayRouteBasis` is required',
    optional: true,
    example: false,
  })
  summaryResolution?: boolean;

  @EnumField(FIVE_DAY_ROUTE_BASES, {
    description:
      "ASIC (RG 271), with `summaryResolution`: why no written IDR response is needed: resolved to the complainant's complete " +
      'satisfaction, or an explanation and/or apology given where the firm can take no further action',
    optional: true,
    example: 'complete-satisfaction',
  })
  fiveDayRouteBasis?: FiveDayRouteBasis;

  @BooleanField({
    description: 'ASIC: the complainant asked for a written IDR response (then it is owed however soon the complaint is resolved)',
    optional: true,
    example: false,
  })
  writtenResponseRequested?: boolean;

  @EnumField(HARDSHIP_MATTERS, {
    description: 'ASIC: the complaint is about financial hardship (then a written IDR response is always owed)',
    optional: true,
    example: 'declined-hardship-request',
  })
  hardshipMatter?: HardshipMatter;

  @EnumField(WRITTEN_IDR_RESPONSE_MATTERS, {
    description:
      "ASIC: the complaint is about a declined insurance claim, the value of an insurance claim or a superannuation trustee's decision " +
      '(then a written IDR response is always owed)',
    optional: true,
    example: 'declined-insurance-claim',
  })
  writtenResponseMatter?: WrittenIdrResponseMatter;
}

@CaseCommandsController()
export class ResolveComplaintController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/resolve')
  @CaseCommandEndpoint({
    operationId: 'resolveComplaint',
    body: ResolveComplaintDto,
    summary: 'Resolve the complaint',
    description: 'Records how the complaint was resolved and its outcome; needs an assessment. The follow-up falls due from here.',
  })
  resolveComplaint(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: ResolveComplaintDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<ResolveComplaint>(http, {
      id: caseId,
      build: () => ({ type: 'ResolveComplaint', data: body }),
    });
  }
}
