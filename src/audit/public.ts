/** What other modules may use of the audit module; everything else in it is its own business. */
export * from './headless';
export { AuditModule } from './audit.module';
export { LedgerService } from './ledger/ledger.service';
