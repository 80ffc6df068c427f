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
import { ensureWholeCaseStream, readCaseStream } from '../case-stream';

class CaseStateQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Recording time: the case as Redress held it at this instant (events recorded at or before it). A complaint keyed in ' +
      'after it arrived (a back-dated receivedAt) did not exist in Redress before it was recorded; ask asOfReceived for its own timeline.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date-time' })
  asOf?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      "The complaint's own timeline: the case as it stood at this instant counting from when the complaint was received " +
      '(its receivedAt, however late it was keyed in), then each event at the instant it says it happened.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date-time' })
  asOfReceived?: string;

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
  asOfReceived?: string;
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
    summary:
      'The case as it stood at `asOf` (recording time), `asOfReceived` (the complaint’s own timeline) or `atRevision`, and the last event applied',
  })
  @ApiOkResponse({ type: CaseStateAtDto })
  @ApiProblems(
    [
      400,
      'Not exactly one of asOf, asOfReceived and atRevision, an invalid one, a future instant, a revision beyond the case, or a moment before it was recorded (asOf) or received (asOfReceived)',
    ],
    [404, 'No such case'],
    [503, 'The case stream is broken (a revision missing, or it does not begin with ComplaintReceived): the problem names it'],
  )
  async stateAt(@Param() { caseId }: CaseIdParams, @Query() query: CaseStateQueryDto): Promise<CaseStateAt> {
    const point = this.point(query);
    const events = await readCaseStream(this.store, caseId);
    ensureWholeCaseStream(caseId, events);
    // A prefix of the stream, always: concurrent commands may commit in another order than their
    // instants, and a state that skips an event is one the case was never in.
    const applied = takeWhile(events, (event) => {
      if (point.kind === 'revision') return event.revision <= point.revision;
      return Date.parse(point.kind === 'recorded' ? occurredAt(event) : happenedAt(event)) <= point.at;
    });
    if (point.kind === 'revision' && point.revision > events[events.length - 1].revision) {
      throw invalid('atRevision', `is beyond the case's last revision (${events[events.length - 1].revision})`);
    }
    if (applied.length === 0 && point.kind === 'recorded') {
      throw invalid(
        'asOf',
        `is recording time, and is before the case was recorded (${occurredAt(events[0])}); for the complaint's own timeline, from its receipt at ${happenedAt(events[0])}, use asOfReceived`,
      );
    }
    if (applied.length === 0) throw invalid('asOfReceived', `is before the complaint was received (${happenedAt(events[0])})`);
    const last = applied[applied.length - 1];
    return {
      caseId,
      ...(query.asOf !== undefined
        ? { asOf: query.asOf }
        : query.asOfReceived !== undefined
          ? { asOfReceived: query.asOfReceived }
          : { atRevision: query.atRevision }),
      lastEvent: { type: last.type, revision: last.revision, position: last.position, occurredAt: occurredAt(last) },
      state: fold(decider, applied),
      view: applied.reduce<CaseView | null>(evolveCaseView, null)!,
    };
  }

  private point(query: CaseStateQueryDto): { kind: 'recorded' | 'received'; at: number } | { kind: 'revision'; revision: number } {
    const given = [query.asOf, query.asOfReceived, query.atRevision].filter((value) => value !== undefined);
    if (given.length !== 1) throw invalid('asOf', 'give exactly one of asOf, asOfReceived or atRevision');
    if (query.atRevision !== undefined) return { kind: 'revision', revision: query.atRevision };
    const [field, instant] = query.asOf !== undefined ? (['asOf', query.asOf] as const) : (['asOfReceived', query.asOfReceived!] as const);
    const at = Date.parse(instant);
    if (at > this.clock.now().getTime()) throw invalid(field, 'is in the future: the history only goes up to now');
    return { kind: field === 'asOf' ? 'recorded' : 'received', at };
  }
}

function takeWhile<T>(items: readonly T[], keep: (item: T) => boolean): T[] {
  const end = items.findIndex((item) => !keep(item));
  return end < 0 ? [...items] : items.slice(0, end);
}

/** Recording time: when Redress decided the command that recorded the event. */
function occurredAt(event: RecordedEvent): string {
  return String(event.metadata['occurredAt'] ?? event.recordedAt);
}

/** The complaint's own time: when it was received (receivedAt may be earlier than its recording), else when the event says it happened. */
function happenedAt(event: RecordedEvent<ComplaintEvent>): string {
  return event.type === 'ComplaintReceived' ? event.data.receivedAt : event.data.at;
}

function invalid(field: string, message: string): RequestValidationError {
  return new RequestValidationError([{ field, message }]);
}
