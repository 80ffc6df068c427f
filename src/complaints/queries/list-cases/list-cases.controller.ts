import { Controller, Get, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { caseViewProjection } from '../../projections/case-view/case-view.projection';
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
  @ApiOkResponse({ description: '{ items: case summaries, nextCursor }' })
  @ApiReadYourWrites()
  @ApiProblems([400, 'An invalid filter, sort, limit or cursor (each named in `errors`)'])
  async list(@Query() filters: ListCasesQueryDto, @Req() request: FastifyRequest): Promise<CasePage> {
    await this.projections.ensureReached(caseViewProjection.name, readMinPosition(request));
    return this.queryBus.execute(new ListCasesQuery(filters));
  }
}
