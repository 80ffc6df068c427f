import {
  BeforeApplicationShutdown,
  Controller,
  Get,
  HttpException,
  HttpStatus,
  Inject,
  Optional,
  Param,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
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
import { CORE_OBSERVER, UNOBSERVED, type CoreObserver } from '../../core/observer';
import { ACTOR_OF_REQUEST, ActorOfRequest } from '../../core/http/command-request';
import { PersonalDataProtection } from '../../privacy/public';
import { readCaseStream } from '../case-stream';
import { caseEvents$ } from './case-live.stream';

/** Live updates for frontends: Server-Sent Events of the case's new events, resumable with Last-Event-ID. */
@ApiTags('cases')
@Controller('cases')
export class CaseLiveController implements BeforeApplicationShutdown {
  private readonly open = new Set<ServerResponse>();
  /** Open streams per client (token subject): each holds a socket and a subscription, so one client may hold only so many. */
  private readonly perClient = new Map<string, number>();
  private readonly store: EventStore<ComplaintEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PersonalDataProtection) private readonly personalData: PersonalDataProtection,
    @Inject(ACTOR_OF_REQUEST) private readonly actorOf: ActorOfRequest,
    @Optional() @Inject(CORE_OBSERVER) private readonly observer: CoreObserver = UNOBSERVED,
  ) {
    this.store = eventStoreOfKind(store, COMPLAINT_UPCASTERS);
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
    const headers = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };
    // HEAD: what a GET would start, without the stream that never ends.
    if (request.method === 'HEAD') {
      void reply.status(200).headers(headers).send();
      return;
    }
    const client = this.actorOf(request).id;
    const { liveStreamsPerClient, liveMaxDurationMs } = this.config.requestBounds;
    const held = this.perClient.get(client) ?? 0;
    if (held >= liveStreamsPerClient) {
      void reply.header('retry-after', '30');
      throw new HttpException(
        `This client already holds ${held} live streams, the most allowed (LIVE_MAX_STREAMS_PER_CLIENT); close one first.`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.perClient.set(client, held + 1);

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { ...headers, connection: 'keep-alive' });
    raw.write(`: live events of ${complaintStreamName(caseId)} after revision ${after}\n\n`);
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), this.config.liveKeepAliveMs);
    const subscription = caseEvents$(this.store, caseId, after).subscribe({
      // Opened as each event goes out, with the keys as they are then: an erasure shows on the next event.
      next: (event) => raw.write(toSse(this.personalData.opener().openEventRecord(event))),
      error: () => raw.end(),
    });
    // A stream lives at most this long: the client reconnects with Last-Event-ID and misses nothing.
    const lifetime = setTimeout(() => raw.end(), liveMaxDurationMs);
    this.open.add(raw);
    this.observer.liveStreamOpened();
    raw.on('close', () => {
      clearInterval(keepAlive);
      clearTimeout(lifetime);
      subscription.unsubscribe();
      this.open.delete(raw);
      this.observer.liveStreamClosed();
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    });
  }

  /** Live streams never end by themselves: end them so the server can close. */
  beforeApplicationShutdown(): void {
    for (const raw of this.open) raw.end();
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
