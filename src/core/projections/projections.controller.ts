import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiInteger, ApiIntegerOptional, ApiProblems } from '../http/openapi-shapes';
import { ProjectionStatus } from './projection-runner';
import { ProjectionsService } from './projections.service';

class LagDto {
  @ApiInteger({ minimum: 0, description: 'Events in the log not yet applied' }) events!: number;
  @ApiProperty({ type: 'number', minimum: 0, description: 'Age of the oldest event not yet applied, in seconds' }) seconds!: number;
}

class LiveSubscriptionDto {
  @ApiProperty({ enum: ['idle', 'connecting', 'live', 'reconnecting', 'stopped'] }) state!: string;
  @ApiIntegerOptional({ description: 'Last global position delivered or checkpointed; a resubscription resumes after it' })
  lastPosition?: number;
  @ApiInteger({ minimum: 0, description: 'Times it was re-established after a drop' }) reconnects!: number;
  @ApiPropertyOptional() lastError?: string;
  @ApiProperty({ format: 'date-time', description: 'When the state last changed' }) since!: string;
}

class ProjectionFailureDto {
  @ApiInteger({ description: 'Global position of the event it stopped on' }) position!: number;
  @ApiProperty() error!: string;
}

class RebuildProgressDto {
  @ApiInteger({ minimum: 0 }) processed!: number;
  @ApiInteger({ minimum: 0 }) total!: number;
}

class ProjectionStatusDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['stopped', 'running', 'rebuilding', 'retrying', 'failed'] }) state!: string;
  @ApiInteger({ description: 'Global position of the last event applied' }) checkpoint!: number;
  @ApiInteger({ description: 'Global position of the last event in the log' }) headPosition!: number;
  @ApiProperty({ type: LagDto }) lag!: LagDto;
  @ApiPropertyOptional({ type: ProjectionFailureDto, description: 'The event the projection stopped on, and why' })
  failure?: ProjectionFailureDto;
  @ApiPropertyOptional({ description: 'The last infrastructure error while retrying' }) lastError?: string;
  @ApiPropertyOptional({ type: RebuildProgressDto, description: 'Progress of a running rebuild' }) rebuild?: RebuildProgressDto;
  @ApiPropertyOptional({
    enum: ['leader', 'standby'],
    description:
      'With PostgreSQL read models shared by several instances: whether this instance applies events (holds the lock) or follows',
  })
  role?: 'leader' | 'standby';
  @ApiPropertyOptional({
    type: LiveSubscriptionDto,
    description: 'EventStoreDB only: the live subscription to $all that wakes the projections',
  })
  subscription?: LiveSubscriptionDto;
}

/** The API document shows one of the projections the application registers as the example name. */
export function documentProjectionNameExample(name: string): void {
  ApiProperty({ example: name })(ProjectionStatusDto.prototype, 'name');
}

@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ operationId: 'listProjections', summary: "Each projection's checkpoint, lag and state" })
  @ApiOkResponse({ type: [ProjectionStatusDto] })
  list(): Promise<ProjectionStatus[]> {
    return this.projections.statuses();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({ operationId: 'rebuildProjection', summary: 'Empty the read model and replay the whole log into it (in the background)' })
  @ApiAcceptedResponse({ type: ProjectionStatusDto })
  @ApiProblems([404, 'No such projection'])
  async rebuild(@Param('name') name: string): Promise<ProjectionStatus> {
    this.projections.startRebuild(name);
    return this.projections.runner(name).status();
  }

  @Post(':name/restart')
  @HttpCode(200)
  @ApiOperation({ operationId: 'restartProjection', summary: 'Resume a failed projection from its checkpoint (after a fix)' })
  @ApiOkResponse({ type: ProjectionStatusDto })
  @ApiProblems([404, 'No such projection'])
  async restart(@Param('name') name: string): Promise<ProjectionStatus> {
    await this.projections.restart(name);
    return this.projections.runner(name).status();
  }
}
