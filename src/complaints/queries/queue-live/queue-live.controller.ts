import { BeforeApplicationShutdown, Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { concatMap } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { EVENT_STORE, EventStore } from '../../../core/event-store/event-store.port';
import { ACTOR_OF_REQUEST, type ActorOfRequest } from '../../../core/http/command-request';
import { LIVE_STREAM_HEADERS, LiveStreams } from '../../../core/http/live-streams';
import { ApiOkContent, ApiProblems } from '../../../core/http/openapi-shapes';
import { RequestValidationError } from '../../../core/http/problem-details';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { READ_STORE, ReadStore } from '../../../core/read-store/read-store';
import { customerVulnerabilities } from '../../../customers/public';
import { PersonalDataProtection } from '../../../privacy/public';
import type { CaseView } from '../../projections/case-view/case-view';
import { caseViewProjection } from '../../projections/case-view/case-view.projection';
import { CASE_VIEWS_TABLE } from '../../projections/case-view/case-view.table';
import type { QueueTables } from '../../queues/queue-filters';
import { toCaseSummary } from '../shared/case-summary';
import { QueueQueryDto } from '../queue-summary/queue-summary.controller';
import { casesTouched$, type CasesTouched } from './queue-live.stream';

/**
 * A desk's live queue: Server-Sent Events for every change to a case on the team's queue, so the desk refreshes without
 * polling. `event: case` carries the case's summary as the read model now shows it; `event: removed` says a case left the
 * team (reassigned elsewhere). `id:` is the global position, so Last-Event-ID resumes after the last change seen.
 */
@ApiTags('queues')
@Controller('queues')
export class QueueLiveController implements BeforeApplicationShutdown {
  /** Open streams, at most LIVE_MAX_STREAMS_PER_CLIENT per client (token subject), none longer than LIVE_MAX_DURATION_MS. */
  private readonly streams: LiveStreams;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore<QueueTables>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PersonalDataProtection) private readonly personalData: PersonalDataProtection,
    private readonly projections: ProjectionsService,
    @Inject(ACTOR_OF_REQUEST) private readonly actorOf: ActorOfRequest,
  ) {
    this.streams = new LiveStreams(() => ({ ...this.config.requestBounds, keepAliveMs: this.config.liveKeepAliveMs }));
  }

  @Get('live')
  @ApiOperation({
    operationId: 'streamQueue',
    summary: "Server-Sent Events: each change to a case on the team's queue (event `case`, or `removed` when it leaves the team)",
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this global position',
    schema: { type: 'string', pattern: '^\\d{1,15}$' },
  })
  @ApiOkContent({
    text: {
      'text/event-stream':
        'Server-Sent Events: `id:` the global position, `event: case` with `data:` the case summary as JSON (as GET /cases lists it), or `event: removed` with `data: {"caseId": …}` when a case leaves the team; comments keep the connection alive',
    },
    description: "An endless stream of the changes to the team's queue",
  })
  @ApiProblems([400, 'An invalid team or Last-Event-ID'], [429, 'This client already holds the most live streams allowed'])
  async live(@Query() { team }: QueueQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const resumeFrom = parsePosition(request.headers['last-event-id']);
    // HEAD: what a GET would start, without the stream that never ends.
    if (request.method === 'HEAD') {
      void reply.status(200).headers(LIVE_STREAM_HEADERS).send();
      return;
    }
    const head = await this.store.headPosition();
    const after = resumeFrom !== undefined && resumeFrom <= head ? resumeFrom : head;
    // A case is announced as removed only to a stream that knew it was on the team's queue.
    const onQueue = new Set(
      team === undefined
        ? []
        : (await this.readStore.db.selectFrom(CASE_VIEWS_TABLE).select('id').where('team', '=', team).execute()).map((row) => row.id),
    );

    let unsubscribe = () => {};
    const raw = this.streams.start(
      this.actorOf(request).id,
      reply,
      `live queue${team === undefined ? '' : ` of team ${team}`} after position ${after}`,
      () => unsubscribe(),
    );
    const subscription = casesTouched$(this.store, after)
      .pipe(concatMap((touched) => this.changes(touched, team, onQueue)))
      .subscribe({ next: (message) => raw.write(message), error: () => raw.end() });
    unsubscribe = () => subscription.unsubscribe();
  }

  /** The SSE messages for one batch of touched cases, once the case views have caught up with it. */
  private async changes({ caseIds, position }: CasesTouched, team: string | undefined, onQueue: Set<string>): Promise<string> {
    await this.projections.ensureReached(caseViewProjection.name, position).catch(() => undefined);
    const rows = await this.readStore.db
      .selectFrom(CASE_VIEWS_TABLE)
      .select(['id', 'team', 'document', 'customer_id'])
      .where('id', 'in', caseIds)
      .execute();
    const flags = await customerVulnerabilities(
      this.readStore.db,
      rows.map((row) => row.customer_id),
    );
    const opener = this.personalData.opener();
    let messages = '';
    for (const row of rows) {
      if (team === undefined || row.team === team) {
        onQueue.add(row.id);
        const summary = opener.openDeep(toCaseSummary(JSON.parse(row.document) as CaseView, flags.get(row.customer_id)));
        messages += `id: ${position}\nevent: case\ndata: ${JSON.stringify(summary)}\n\n`;
      } else if (onQueue.delete(row.id)) {
        messages += `id: ${position}\nevent: removed\ndata: ${JSON.stringify({ caseId: row.id })}\n\n`;
      }
    }
    return messages;
  }

  /** Live streams never end by themselves: end them so the server can close. */
  beforeApplicationShutdown(): void {
    this.streams.endAll();
  }
}

function parsePosition(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw))
    throw new RequestValidationError([{ field: 'Last-Event-ID', message: 'must be a position received as an event id' }]);
  return Number(raw);
}
