import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { TAG_MESSAGE, TAG_PATTERN } from '../../queries/list-cases/list-cases.dto';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { UntagCase } from './untag-case.decide';

export class UntagCaseDto {
  @ApiProperty({ description: 'Lower-case letters, digits and -, 1 to 48 characters', example: 'vip' })
  @Matches(TAG_PATTERN, { message: TAG_MESSAGE })
  tag!: string;
}

@CaseCommandsController()
export class UntagCaseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/tags/remove')
  @CaseCommandEndpoint({
    operationId: 'untagCase',
    body: UntagCaseDto,
    summary: 'Remove a tag from the case',
    description: 'Takes the label off; the history keeps who added and removed it.',
  })
  untagCase(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: UntagCaseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<UntagCase>(http, {
      id: caseId,
      build: () => ({ type: 'UntagCase', data: { tag: body.tag } }),
    });
  }
}
