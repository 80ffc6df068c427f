/** What other modules may use of the audit module; everything else in it is its own business. */
export { AuditModule } from './audit.module';
export { auditRecord } from './case-stream';
export { ledgerProjection, LEDGER_PROJECTION } from './ledger/ledger.projection';
export { ledgerMigrations, type LedgerTables } from './ledger/ledger.tables';
export {
  checkpointProblem,
  consistencyHolds,
  eventChainHash,
  eventLeafHash,
  inclusionHolds,
  type LedgerPublicJwk,
  type SignedCheckpoint,
} from './ledger/checkpoint-verification';
export { LedgerService } from './ledger/ledger.service';
export { ledgerStreams, type LedgerStream } from './ledger/ledger-streams';
