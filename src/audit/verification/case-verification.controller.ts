import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CaseIdParams } from '../../complaints/public';
import { RAW_EVENT_STORE } from '../../core/event-store/event-store.module';
import type { EventStore } from '../../core/event-store/event-store.port';
import { ChainVerdict, StreamHead, streamHead, verifyChain } from '../../core/event-store/hash-chain';
import { ApiInteger, ApiIntegerOptional, ApiProblems } from '../../core/http/openapi-shapes';
import { readCaseStream } from '../case-stream';
import { LedgerService } from '../ledger/ledger.service';

/** The chain's verdict, the stream's head as stored, and the last event of it the ledger committed to. */
export type CaseVerification = ChainVerdict & { readonly head?: StreamHead; readonly ledger?: StreamHead & { readonly leafIndex: number } };

class StreamHeadDto implements StreamHead {
  @ApiInteger({ minimum: 0 }) revision!: number;
  @ApiProperty({ description: 'The chain hash, lowercase hex SHA-256', example: '9f2c…' }) hash!: string;
}

class LedgerHeadDto extends StreamHeadDto {
  @ApiInteger({ minimum: 0, description: "The event's leaf in the ledger" }) leafIndex!: number;
}

class CaseVerificationDto {
  @ApiProperty({ description: 'The chain holds, and ends where the ledger says it does' }) valid!: boolean;
  @ApiInteger({ minimum: 0, description: 'Events checked' }) events!: number;
  @ApiIntegerOptional({ minimum: 0, description: 'The first revision altered, removed or reordered' }) brokenAt?: number;
  @ApiPropertyOptional({ description: 'Why the chain does not hold' }) reason?: string;
  @ApiPropertyOptional({ type: StreamHeadDto, description: 'The last event as stored' }) head?: StreamHeadDto;
  @ApiPropertyOptional({ type: LedgerHeadDto, description: 'The last event of the stream the ledger committed to' }) ledger?: LedgerHeadDto;
}

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
  @ApiOkResponse({ type: CaseVerificationDto })
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
