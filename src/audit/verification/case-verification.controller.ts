import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseIdParams } from '../../complaints/commands/shared/case-id.params';
import { RAW_EVENT_STORE } from '../../core/event-store/event-store.module';
import type { EventStore } from '../../core/event-store/event-store.port';
import { ChainVerdict, verifyChain } from '../../core/event-store/hash-chain';
import { ApiProblems } from '../../core/http/openapi-shapes';
import { readCaseStream } from '../case-stream';

@ApiTags('audit')
@Controller('cases')
export class CaseVerificationController {
  constructor(@Inject(RAW_EVENT_STORE) private readonly store: EventStore) {}

  @Get(':caseId/verify')
  @ApiOperation({
    operationId: 'verifyCase',
    summary: "Recompute the case's hash chain over the stored events",
    description: '`valid: false` names the first revision altered, removed or reordered (`brokenAt`) and why. '
      + 'Removing the newest events leaves a valid shorter chain: compare `events` with a count you recorded.',
  })
  @ApiOkResponse({ description: '{valid, events, brokenAt?, reason?}' })
  @ApiProblems([404, 'No such case'])
  async verify(@Param() { caseId }: CaseIdParams): Promise<ChainVerdict> {
    return verifyChain(await readCaseStream(this.store, caseId));
  }
}
