/**
 * What other modules, the CLI and the read side may use of the audit module without loading its HTTP layer (Nest, Swagger,
 * Fastify, validation): a rebuild or a CLI command loads only this. public.ts offers all of it and the rest.
 */
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
export { ledgerStreams, type LedgerStream } from './ledger/ledger-streams';
