import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { linkHeader, nextPageLink } from '../../../core/http/conditional';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { caseViewProjection } from '../../projections/case-view/case-view.projection';
import { CasePageDto } from '../shared/case-view.dto';
import { ListCasesQueryDto } from './list-cases.dto';
import { CasePage, ListCasesQuery } from './list-cases.query';

@ApiTags('cases')
@Controller('cases')
export class ListCasesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listCases', summary: 'Cases matching the filters, a page at a time' })
  @ApiOkResponse({
    type: CasePageDto,
    description: 'A page of case summaries',
    headers: linkHeader('cursor'),
  })
  @ApiReadYourWrites()
  @ApiProblems([400, 'An invalid filter, sort, limit or cursor (each named in `errors`)'])
  async list(
    @Query() filters: ListCasesQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CasePage> {
    await this.projections.ensureReached(caseViewProjection.name, readMinPosition(request));
    const page: CasePage = await this.queryBus.execute(new ListCasesQuery(filters));
    if (page.nextCursor !== null) void reply.header('link', nextPageLink(request, page.nextCursor));
    return page;
  }
}
