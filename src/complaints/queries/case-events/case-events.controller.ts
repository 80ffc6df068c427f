import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '../../../core/errors';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../../core/event-store/event-store.port';
import { eventStoreOfKind } from '../../../core/event-store/upcasting-event-store';
import { ApiProblems } from '../../../core/http/openapi-shapes';
import { RecordedEventDto } from '../../../core/http/recorded-event.dto';
import { complaintStreamName } from '../../domain/complaint.decider';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { COMPLAINT_UPCASTERS } from '../../domain/complaint.upcasters';
import { CaseIdParams } from '../../case-commands';

/** The raw event stream of one case, for debugging and tests; auditors get the history endpoint. */
@ApiTags('cases')
@Controller('cases')
export class CaseEventsController {
  private readonly store: EventStore<ComplaintEvent>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.store = eventStoreOfKind(store, COMPLAINT_UPCASTERS);
  }

  @Get(':caseId/events')
  @ApiOperation({ operationId: 'getCaseEvents', summary: "The case's raw event stream, oldest first" })
  @ApiOkResponse({ type: [RecordedEventDto] })
  @ApiProblems([404, 'No such case'])
  async events(@Param() { caseId }: CaseIdParams): Promise<Omit<RecordedEvent<ComplaintEvent>, 'streamName'>[]> {
    const events = await this.store.readStream(complaintStreamName(caseId));
    if (events.length === 0) throw new NotFoundError(`Case ${caseId} does not exist`);
    return events.map(({ streamName: _stream, ...event }) => event);
  }
}
