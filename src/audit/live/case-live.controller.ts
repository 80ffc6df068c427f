import { BeforeApplicationShutdown, Controller, Get, Inject, Optional, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CaseIdParams } from '../../complaints/public';
import { complaintStreamName } from '../../complaints/public';
import type { ComplaintEvent } from '../../complaints/public';
import { COMPLAINT_UPCASTERS } from '../../complaints/public';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../core/event-store/event-store.port';
import { eventStoreOfKind } from '../../core/event-store/upcasting-event-store';
import { RequestValidationError } from '../../core/http/problem-details';
import { ApiOkContent, ApiProblems } from '../../core/http/openapi-shapes';
import { LIVE_STREAM_HEADERS, LiveStreams } from '../../core/http/live-streams';
import { CORE_OBSERVER, UNOBSERVED, type CoreObserver } from '../../core/observer';
import { ACTOR_OF_REQUEST, ActorOfRequest } from '../../core/http/command-request';
import { PersonalDataProtection } from '../../privacy/public';
import { readCaseStream } from '../case-stream';
import { caseEvents$ } from './case-live.stream';

/** Live updates for frontends: Server-Sent Events of the case's new events, resumable with Last-Event-ID. */
@ApiTags('cases')
@Controller('cases')
export class CaseLiveController implements BeforeApplicationShutdown {
  /** Open streams, at most LIVE_MAX_STREAMS_PER_CLIENT per client (token subject), none longer than LIVE_MAX_DURATION_MS. */
  private readonly streams: LiveStreams;
  private readonly store: EventStore<ComplaintEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PersonalDataProtection) private readonly personalData: PersonalDataProtection,
    @Inject(ACTOR_OF_REQUEST) private readonly actorOf: ActorOfRequest,
    @Optional() @Inject(CORE_OBSERVER) private readonly observer: CoreObserver = UNOBSERVED,
  ) {
    this.store = eventStoreOfKind(store, COMPLAINT_UPCASTERS);
    this.streams = new LiveStreams(() => ({ ...this.config.requestBounds, keepAliveMs: this.config.liveKeepAliveMs }), {
      opened: () => this.observer.liveStreamOpened(),
      closed: () => this.observer.liveStreamClosed(),
    });
  }

  @Get(':caseId/live')
  @ApiOperation({
    operationId: 'streamCaseEvents',
    summary: 'Server-Sent Events: each new event of the case as it is appended (id = revision); a keep-alive comment every 15 s',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this revision: every later event is sent first',
    schema: { type: 'string', pattern: '^\\d{1,15}$' },
  })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    description: 'Same as Last-Event-ID, for clients that cannot set headers',
    schema: { type: 'string', pattern: '^\\d{1,15}$' },
  })
  @ApiOkContent({
    text: {
      'text/event-stream':
        'Server-Sent Events: `id:` the revision, `event:` the event type, `data:` the event as JSON (as GET /cases/{caseId}/events has it); comments keep the connection alive',
    },
    description: "An endless stream of the case's new events",
  })
  @ApiProblems([400, 'Invalid Last-Event-ID'], [404, 'No such case'], [429, 'This client already holds the most live streams allowed'])
  async live(
    @Param() { caseId }: CaseIdParams,
    @Query('lastEventId') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resumeFrom = parseLastEventId(request.headers['last-event-id'] ?? lastEventId);
    const [last] = await readCaseStream(this.store, caseId, { direction: 'backwards', maxCount: 1 });
    if (resumeFrom !== undefined && resumeFrom > last.revision) {
      throw new RequestValidationError([{ field: 'Last-Event-ID', message: `is beyond the case's last revision (${last.revision})` }]);
    }
    const after = resumeFrom ?? last.revision;
    // HEAD: what a GET would start, without the stream that never ends.
    if (request.method === 'HEAD') {
      void reply.status(200).headers(LIVE_STREAM_HEADERS).send();
      return;
    }
    let unsubscribe = () => {};
    const raw = this.streams.start(
      this.actorOf(request).id,
      reply,
      `live events of ${complaintStreamName(caseId)} after revision ${after}`,
      () => unsubscribe(),
    );
    const subscription = caseEvents$(this.store, caseId, after).subscribe({
      // Opened as each event goes out, with the keys as they are then: an erasure shows on the next event.
      next: (event) => raw.write(toSse(this.personalData.opener().openEventRecord(event))),
      error: () => raw.end(),
    });
    unsubscribe = () => subscription.unsubscribe();
  }

  /** Live streams never end by themselves: end them so the server can close. */
  beforeApplicationShutdown(): void {
    this.streams.endAll();
  }
}

function parseLastEventId(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw))
    throw new RequestValidationError([{ field: 'Last-Event-ID', message: 'must be a revision received as an event id' }]);
  return Number(raw);
}

function toSse(event: RecordedEvent): string {
  const { streamName: _stream, ...body } = event;
  return `id: ${event.revision}\nevent: ${event.type}\ndata: ${JSON.stringify(body)}\n\n`;
}
