import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { CaseIdParams } from '../../case-commands';
import type { CaseView } from '../../projections/case-view/case-view';
import { caseViewProjection } from '../../projections/case-view/case-view.projection';
import { GetCaseQuery } from './get-case.query';

@ApiTags('cases')
@Controller('cases')
export class GetCaseController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get(':caseId')
  @ApiOperation({
    operationId: 'getCase',
    summary: 'The case view: status, people, assessment, goodwill, fixes, resolution, follow-up, deadlines',
  })
  @ApiOkResponse({ description: 'The case view; ETag is its revision' })
  @ApiReadYourWrites()
  @ApiProblems([404, 'No such case'])
  async get(
    @Param() { caseId }: CaseIdParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseView> {
    await this.projections.ensureReached(caseViewProjection.name, readMinPosition(request));
    const view = await this.queryBus.execute(new GetCaseQuery(caseId));
    void reply.header('etag', `"${view.revision}"`);
    return view;
  }
}
