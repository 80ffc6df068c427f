import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ACTOR_OF_REQUEST, type ActorOfRequest } from '../../../core/http/command-request';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { CASE_SEARCH_PROJECTION } from '../../projections/case-search/case-search.projection';
import { CASE_TAGS_PROJECTION } from '../../projections/case-tags/case-tags.projection';
import { caseViewProjection } from '../../projections/case-view/case-view.projection';
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
  @ApiOkResponse({ description: '{ items: case summaries, nextCursor }' })
  @ApiReadYourWrites()
  @ApiProblems([400, 'An invalid filter, sort, limit or cursor (each named in `errors`)'])
  async list(@Query() filters: ListCasesQueryDto, @Req() request: FastifyRequest): Promise<CasePage> {
    const minPosition = readMinPosition(request);
    await this.projections.ensureReached(caseViewProjection.name, minPosition);
    if (filters.tag !== undefined) await this.projections.ensureReached(CASE_TAGS_PROJECTION, minPosition);
    if (filters.q !== undefined) await this.projections.ensureReached(CASE_SEARCH_PROJECTION, minPosition);
    const assignee = filters.assignee === 'me' ? this.actorOf(request).id : filters.assignee;
    return this.queryBus.execute(new ListCasesQuery({ ...filters, assignee }));
  }
}
