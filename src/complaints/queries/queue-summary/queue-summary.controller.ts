import { Controller, Get, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { ID_PATTERN } from '../../../core/identifiers';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { caseViewProjection } from '../../projections/case-view/case-view.projection';
import { QueueSummary, QueueSummaryQuery } from './queue-summary.query';

export class QueueQueryDto {
  @ApiPropertyOptional({ description: 'The team whose queues to count; every case when absent', example: 'complaints-tier-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: '$property may hold only letters, digits and - _ . : (1 to 128 characters)' })
  team?: string;

  @ApiPropertyOptional({ description: 'Read-your-writes: wait until the counts reflect this global position' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: '$property must be a whole number' })
  minPosition?: string;
}

@ApiTags('queues')
@Controller('queues')
export class QueueSummaryController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('summary')
  @ApiOperation({
    operationId: 'queueSummary',
    summary: "A team's dashboard: cases new, unassigned, due today, overdue, awaiting the customer, awaiting approval",
  })
  @ApiOkResponse({ description: '{ team, at, counts }' })
  @ApiReadYourWrites()
  @ApiProblems([400, 'An invalid team'])
  async summary(@Query() { team }: QueueQueryDto, @Req() request: FastifyRequest): Promise<QueueSummary> {
    await this.projections.ensureReached(caseViewProjection.name, readMinPosition(request));
    return this.queryBus.execute(new QueueSummaryQuery(team));
  }
}
