import { Controller, Get, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { LOYALTY_PROJECTION } from '../../projection/loyalty-facts.projection';
import { SystemicIssuesDto } from '../shared/analytics.dto';
import { SystemicIssuesQueryDto } from './systemic-issues.dto';
import { SystemicIssues, SystemicIssuesQuery } from './systemic-issues.query';

@ApiTags('analytics')
@Controller('analytics')
export class SystemicIssuesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('systemic-issues')
  @ApiOperation({
    operationId: 'systemicIssues',
    summary:
      'Did the fix stop recurrence? Per category: complaints, system fixes applied, and the complaint rate in equal windows before and after each fix',
  })
  @ApiOkResponse({ type: SystemicIssuesDto })
  @ApiReadYourWrites()
  @ApiProblems([400, 'An invalid parameter (each named in `errors`)'])
  async get(@Query() params: SystemicIssuesQueryDto, @Req() request: FastifyRequest): Promise<SystemicIssues> {
    await this.projections.ensureReached(LOYALTY_PROJECTION, readMinPosition(request));
    return this.queryBus.execute(new SystemicIssuesQuery(params));
  }
}
