import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { CaseIdParams } from '../../complaints/public';
import { complaintDecider } from '../../complaints/public';
import type { ComplaintEvent } from '../../complaints/public';
import { COMPLAINT_UPCASTERS } from '../../complaints/public';
import type { CaseView } from '../../complaints/public';
import { evolveCaseView } from '../../complaints/public';
import { CLOCK, Clock } from '../../core/clock';
import { fold } from '../../core/decider';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../core/event-store/event-store.port';
import { eventStoreOfKind } from '../../core/event-store/upcasting-event-store';
import { RequestValidationError } from '../../core/http/problem-details';
import { ApiInteger, ApiIntegerOptional, ApiProblems } from '../../core/http/openapi-shapes';
import { CaseViewDto } from '../../complaints/public';
import { readCaseStream } from '../case-stream';

class CaseStateQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'The instant to see the case at (events that occurred at or before it)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date-time' })
  asOf?: string;

  @ApiIntegerOptional({ description: 'The revision to see the case at (inclusive)', minimum: 0 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: '$property must be a whole number' })
  @Min(0)
  atRevision?: number;
}

export interface CaseStateAt {
  caseId: string;
  asOf?: string;
  atRevision?: number;
  /** The last event applied. */
  lastEvent: { type: string; revision: number; position: number; occurredAt: string };
  /** The decider's state: what the rules saw at that point. */
  state: unknown;
  /** The case view as a frontend would have shown it then. */
  view: CaseView;
}

class LastEventDto {
  @ApiProperty({ example: 'ComplaintAcknowledged' }) type!: string;
  @ApiInteger({ minimum: 0 }) revision!: number;
  @ApiInteger() position!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

class CaseStateAtDto implements CaseStateAt {
  @ApiProperty({ example: '0b8a5f0e-7c4e-5d0b-9a43-1f2e3d4c5b6a' }) caseId!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'The instant asked for' }) asOf?: string;
  @ApiIntegerOptional({ minimum: 0, description: 'The revision asked for' }) atRevision?: number;
  @ApiProperty({ type: LastEventDto, description: 'The last event applied' }) lastEvent!: LastEventDto;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The decider's state: what the rules saw at that point" })
  state!: unknown;
  @ApiProperty({ type: CaseViewDto, description: 'The case view as a frontend would have shown it then' }) view!: CaseViewDto;
}

const decider = complaintDecider();

/** Time travel: the case folded from its own events up to a moment or a revision. */
@ApiTags('audit')
@Controller('cases')
export class CaseStateController {
  private readonly store: EventStore<ComplaintEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.store = eventStoreOfKind(store, COMPLAINT_UPCASTERS);
  }

  @Get(':caseId/state')
  @ApiOperation({
    operationId: 'getCaseStateAt',
    summary: 'The case as it stood at `asOf` (instant) or `atRevision`, and the last event applied',
  })
  @ApiOkResponse({ type: CaseStateAtDto })
  @ApiProblems(
    [
      400,
      'Neither or both of asOf and atRevision, an invalid one, a future instant, a revision beyond the case, or a moment before it existed',
    ],
    [404, 'No such case'],
  )
  async stateAt(@Param() { caseId }: CaseIdParams, @Query() query: CaseStateQueryDto): Promise<CaseStateAt> {
    const point = this.point(query);
    const events = await readCaseStream(this.store, caseId);
    // A prefix of the stream, always: concurrent commands may commit in another order than their
    // instants, and a state that skips an event is one the case was never in.
    const applied = takeWhile(events, (event) =>
      point.kind === 'revision' ? event.revision <= point.revision : Date.parse(occurredAt(event)) <= point.at,
    );
    if (point.kind === 'revision' && point.revision > events[events.length - 1].revision) {
      throw invalid('atRevision', `is beyond the case's last revision (${events[events.length - 1].revision})`);
    }
    if (applied.length === 0) throw invalid('asOf', `is before the case was received (${occurredAt(events[0])})`);
    const last = applied[applied.length - 1];
    return {
      caseId,
      ...(query.asOf !== undefined ? { asOf: query.asOf } : { atRevision: query.atRevision }),
      lastEvent: { type: last.type, revision: last.revision, position: last.position, occurredAt: occurredAt(last) },
      state: fold(decider, applied),
      view: applied.reduce<CaseView | null>(evolveCaseView, null)!,
    };
  }

  private point(query: CaseStateQueryDto): { kind: 'instant'; at: number } | { kind: 'revision'; revision: number } {
    if ((query.asOf === undefined) === (query.atRevision === undefined)) {
      throw invalid('asOf', 'give exactly one of asOf or atRevision');
    }
    if (query.atRevision !== undefined) return { kind: 'revision', revision: query.atRevision };
    const at = Date.parse(query.asOf!);
    if (at > this.clock.now().getTime()) throw invalid('asOf', 'is in the future: the history only goes up to now');
    return { kind: 'instant', at };
  }
}

function takeWhile<T>(items: readonly T[], keep: (item: T) => boolean): T[] {
  const end = items.findIndex((item) => !keep(item));
  return end < 0 ? [...items] : items.slice(0, end);
}

function occurredAt(event: RecordedEvent): string {
  return String(event.metadata['occurredAt'] ?? event.recordedAt);
}

function invalid(field: string, message: string): RequestValidationError {
  return new RequestValidationError([{ field, message }]);
}
