import { Module } from '@nestjs/common';
import { CaseHistoryController } from './history/case-history.controller';
import { LedgerCheckpointsController, LedgerProofsController } from './ledger/ledger.controller';
import { LedgerService } from './ledger/ledger.service';
import { CaseLiveController } from './live/case-live.controller';
import { CaseStateController } from './time-travel/case-state.controller';
import { CaseVerificationController } from './verification/case-verification.controller';

/** What auditors and live frontends read straight from the event log: history, time travel, proof, live events. */
@Module({
  controllers: [
    CaseHistoryController,
    CaseStateController,
    CaseVerificationController,
    CaseLiveController,
    LedgerProofsController,
    LedgerCheckpointsController,
  ],
  providers: [LedgerService],
  exports: [LedgerService],
})
export class AuditModule {}
