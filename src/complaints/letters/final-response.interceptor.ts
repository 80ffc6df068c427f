import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { CLOCK, type Clock } from '../../core/clock';
import { EVENT_STORE, type EventStore } from '../../core/event-store/event-store.port';
import { ACTOR_OF_REQUEST, type ActorOfRequest } from '../../core/http/command-request';
import { ProjectionsService } from '../../core/projections/projections.service';
import { PersonalDataProtection } from '../../privacy/public';
import { complaintStreamName } from '../domain/complaint.decider';
import { OUTCOMES, type Outcome } from '../domain/complaint.vocabulary';
import { caseViewProjection } from '../projections/case-view/case-view.projection';
import { GetCaseQuery } from '../queries/get-case/get-case.query';
import { renderFinalResponse, type RenderedLetter } from './render-letter';

const letters = new WeakMap<FastifyRequest, { outcome?: Outcome; letter?: RenderedLetter }>();

/** The letter rendered for this request (and the outcome it states), or nothing when the case has no outcome to state. */
export function renderedLetterOf(request: FastifyRequest | undefined): { outcome?: Outcome; letter?: RenderedLetter } {
  return (request && letters.get(request)) ?? {};
}

/**
 * Renders the final-response letter before the route runs (the route stays a thin, synchronous command builder): the case
 * view with personal fields opened, the outcome asked for or the case's own, the template in force now.
 */
@Injectable()
export class RenderFinalResponseInterceptor implements NestInterceptor {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(PersonalDataProtection) private readonly personalData: PersonalDataProtection,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACTOR_OF_REQUEST) private readonly actorOf: ActorOfRequest,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { caseId?: string }; Body: { outcome?: unknown } }>>();
    const caseId = request.params.caseId;
    const asked = request.body?.outcome;
    if (caseId !== undefined) {
      // The letter states the case as it stands: the case view must hold every event of the case appended so far.
      const [last] = await this.events.readStream(complaintStreamName(caseId), { direction: 'backwards', maxCount: 1 });
      await this.projections.ensureReached(caseViewProjection.name, last?.position);
      const view = this.personalData.opener().openDeep(await this.queryBus.execute(new GetCaseQuery(caseId)));
      const outcome = (OUTCOMES as readonly unknown[]).includes(asked) ? (asked as Outcome) : view.resolution?.outcome;
      const letter = outcome ? renderFinalResponse(view, outcome, this.clock.now().toISOString(), this.actorOf(request).id) : undefined;
      letters.set(request, { outcome, letter });
    }
    return next.handle();
  }
}
