import { Inject, Param, Post, UseInterceptors } from '@nestjs/common';
import { EnumField } from '../../../core/http/dto-fields';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import { OUTCOMES, type Outcome } from '../../domain/complaint.vocabulary';
import { RenderFinalResponseInterceptor, renderedLetterOf } from '../../letters/final-response.interceptor';
import type { IssueFinalResponse } from './issue-final-response.decide';

export class IssueFinalResponseDto {
  @EnumField(OUTCOMES, {
    description: "The decision the letter states; the case's resolution outcome when omitted",
    optional: true,
    example: 'upheld',
  })
  outcome?: Outcome;
}

@CaseCommandsController()
export class IssueFinalResponseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/final-response')
  @UseInterceptors(RenderFinalResponseInterceptor)
  @CaseCommandEndpoint({
    operationId: 'issueFinalResponse',
    body: IssueFinalResponseDto,
    summary: "Send the final-response letter, rendered from the regime's template",
    description:
      "Renders the regime's final-response template in force (with its mandatory wording: FCA the Financial Ombudsman Service referral rights and six-month limit, ASIC AFCA, CFPB the company response) from the case view, and records the letter's text, template version and SHA-256. Meets the final-response deadline as a resolution does. Read it back with GET …/final-response.",
  })
  issueFinalResponse(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() _body: IssueFinalResponseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    const { outcome, letter } = renderedLetterOf(http.request);
    return this.cases.handle<IssueFinalResponse>(http, {
      id: caseId,
      build: () => ({
        type: 'IssueFinalResponse',
        data: { templateVersion: letter?.templateVersion ?? '', outcome, text: letter?.text ?? '', sha256: letter?.sha256 ?? '' },
      }),
      respondWith: ({ data }) => ({ sha256: data.sha256, templateVersion: data.templateVersion }),
    });
  }
}
