import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { linkHeader, nextPageLink } from '../../../core/http/conditional';
import { ACTOR_OF_REQUEST, type ActorOfRequest } from '../../../core/http/command-request';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { CUSTOMER_VULNERABILITY_PROJECTION } from '../../../customers/public';
import { CASE_SEARCH_PROJECTION } from '../../projections/case-search/case-search.projection';
import { CASE_TAGS_PROJECTION } from '../../projections/case-tags/case-tags.projection';
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
    @Inject(ACTOR_OF_REQUEST) private readonly actorOf: ActorOfRequest,
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
    const minPosition = readMinPosition(request);
    await this.projections.ensureReached(caseViewProjection.name, minPosition);
    await this.projections.ensureReached(CUSTOMER_VULNERABILITY_PROJECTION, minPosition);
    if (filters.tag !== undefined) await this.projections.ensureReached(CASE_TAGS_PROJECTION, minPosition);
    if (filters.q !== undefined) await this.projections.ensureReached(CASE_SEARCH_PROJECTION, minPosition);
    const assignee = filters.assignee === 'me' ? this.actorOf(request).id : filters.assignee;
    const page: CasePage = await this.queryBus.execute(new ListCasesQuery({ ...filters, assignee }));
    if (page.nextCursor !== null) void reply.header('link', nextPageLink(request, page.nextCursor));
    return page;
  }
}
