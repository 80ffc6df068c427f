import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { TAG_MESSAGE, TAG_PATTERN } from '../../queries/list-cases/list-cases.dto';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { TagCase } from './tag-case.decide';

export class TagCaseDto {
  @ApiProperty({ description: 'Lower-case letters, digits and -, 1 to 48 characters', example: 'vip' })
  @Matches(TAG_PATTERN, { message: TAG_MESSAGE })
  tag!: string;
}

@CaseCommandsController()
export class TagCaseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/tags')
  @CaseCommandEndpoint({
    operationId: 'tagCase',
    body: TagCaseDto,
    summary: 'Add a tag to the case',
    description: "Labels the case for the desk's queues and reports (GET /cases?tag=). Tags stay on closed cases too.",
  })
  tagCase(@Param() { caseId }: CaseIdParams, @CommandBody() body: TagCaseDto, @Exchange() http: HttpExchange): Promise<CommandResponse> {
    return this.cases.handle<TagCase>(http, {
      id: caseId,
      build: () => ({ type: 'TagCase', data: { tag: body.tag } }),
    });
  }
}
