import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseIdParams } from '../../complaints/public';
import { RAW_EVENT_STORE } from '../../core/event-store/event-store.module';
import type { EventStore } from '../../core/event-store/event-store.port';
import { ChainVerdict, StreamHead, streamHead, verifyChain } from '../../core/event-store/hash-chain';
import { ApiProblems } from '../../core/http/openapi-shapes';
import { readCaseStream } from '../case-stream';
import { LedgerService } from '../ledger/ledger.service';

/** The chain's verdict, the stream's head as stored, and the last event of it the ledger committed to. */
export type CaseVerification = ChainVerdict & { readonly head?: StreamHead; readonly ledger?: StreamHead & { readonly leafIndex: number } };

@ApiTags('audit')
@Controller('cases')
export class CaseVerificationController {
  constructor(
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  @Get(':caseId/verify')
  @ApiOperation({
    operationId: 'verifyCase',
    summary: "Recompute the case's hash chain over the stored events",
    description:
      '`valid: false` names the first revision altered, removed or reordered (`brokenAt`) and why. ' +
      '`head` is the last event as stored (revision, hash); `ledger` the last event of the stream the ledger committed to. ' +
      'Removing or replacing the newest events leaves a valid chain, but not the one the ledger recorded: then `valid` is false too.',
  })
  @ApiOkResponse({ description: '{valid, events, brokenAt?, reason?, head?, ledger?}' })
  @ApiProblems([404, 'No such case'])
  async verify(@Param() { caseId }: CaseIdParams): Promise<CaseVerification> {
    const events = await readCaseStream(this.store, caseId);
    const verdict = verifyChain(events);
    const head = streamHead(events);
    const stream = events[0]?.streamName;
    const recorded = stream === undefined ? undefined : await this.ledger.lastLeafOf(stream);
    const answer = { ...verdict, ...(head ? { head } : {}), ...(recorded ? { ledger: recorded } : {}) };
    if (!verdict.valid || !recorded) return answer;
    const stored = events.find((event) => event.revision === recorded.revision);
    if (!stored) {
      return {
        ...answer,
        valid: false,
        brokenAt: recorded.revision,
        reason: `the ledger recorded revision ${recorded.revision}, which the stream no longer has: events were removed`,
      };
    }
    if (stored.metadata['hash'] !== recorded.hash) {
      return {
        ...answer,
        valid: false,
        brokenAt: recorded.revision,
        reason: `revision ${recorded.revision} is not the event the ledger recorded (hash ${recorded.hash}): it was replaced`,
      };
    }
    return answer;
  }
}
