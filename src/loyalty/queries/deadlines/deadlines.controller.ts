import { Controller, Get, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { LOYALTY_PROJECTION } from '../../projection/loyalty-facts.projection';
import { DeadlinesReportDto } from '../shared/analytics.dto';
import { DeadlinesQueryDto } from './deadlines.dto';
import { DeadlinesQuery, DeadlinesReport } from './deadlines.query';

@ApiTags('analytics')
@Controller('analytics')
export class DeadlinesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('deadlines')
  @ApiOperation({
    operationId: 'deadlinesReport',
    summary:
      'Deadline and regulatory report per regime: acknowledged and resolved on time, breaches, closure times, upheld rate, goodwill granted',
  })
  @ApiOkResponse({ type: DeadlinesReportDto })
  @ApiReadYourWrites()
  @ApiProblems([400, 'An invalid parameter (each named in `errors`)'])
  async get(@Query() params: DeadlinesQueryDto, @Req() request: FastifyRequest): Promise<DeadlinesReport> {
    await this.projections.ensureReached(LOYALTY_PROJECTION, readMinPosition(request));
    return this.queryBus.execute(new DeadlinesQuery(params));
  }
}
