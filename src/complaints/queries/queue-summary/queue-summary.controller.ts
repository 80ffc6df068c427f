import { Controller, Get, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { ID_PATTERN } from '../../../core/identifiers';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiInteger, ApiNullable, ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
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

type QueueCounts = QueueSummary['counts'];

/** How many cases sit in each queue; a case may sit in several (new and unassigned and due today). */
class QueueCountsDto implements QueueCounts {
  @ApiInteger({ minimum: 0, description: 'Received and not yet acknowledged nor assessed', example: 4 }) new!: number;
  @ApiInteger({ minimum: 0, description: 'Neither closed nor withdrawn, and no agent owns it', example: 2 }) unassigned!: number;
  @ApiInteger({ minimum: 0, description: "Its next open deadline falls on today's date in its regime's time zone", example: 3 })
  dueToday!: number;
  @ApiInteger({ minimum: 0, description: 'Its next open deadline has passed', example: 1 }) overdue!: number;
  @ApiInteger({ minimum: 0, description: 'A plan or an approved goodwill offer the customer has not answered', example: 5 })
  awaitingCustomer!: number;
  @ApiInteger({ minimum: 0, description: 'A goodwill offer waiting for a supervisor', example: 0 }) awaitingApproval!: number;
}

export class QueueSummaryDto implements QueueSummary {
  @ApiNullable({ type: String, description: 'The team counted; null when every case was', example: 'complaints-tier-1' })
  team!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When "today" and "overdue" were judged', example: '2026-11-23T09:15:00.000Z' })
  at!: string;
  @ApiProperty({ type: QueueCountsDto }) counts!: QueueCountsDto;
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
  @ApiOkResponse({ type: QueueSummaryDto, description: "The team's queues and how many cases sit in each" })
  @ApiReadYourWrites()
  @ApiProblems([400, 'An invalid team'])
  async summary(@Query() { team }: QueueQueryDto, @Req() request: FastifyRequest): Promise<QueueSummary> {
    await this.projections.ensureReached(caseViewProjection.name, readMinPosition(request));
    return this.queryBus.execute(new QueueSummaryQuery(team));
  }
}
