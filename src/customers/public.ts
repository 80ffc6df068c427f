/** What other modules may use of the customers module; everything else in it is its own business. */
export { customerStream } from './customer-commands';
export { CustomersModule } from './customers.module';
export { CUSTOMER_RULES, CUSTOMER_STREAM_PREFIX, purchaseCommandId } from './domain/customer.decider';
export type { CustomerEvent } from './domain/customer.events';
export { CUSTOMER_PERSONAL_FIELDS } from './domain/customer.personal-data';
export { CUSTOMER_UPCASTERS } from './domain/customer.upcasters';
export { importPurchases, type ImportReport } from './imports/import-purchases';
export { IMPORT_FORMATS, readPurchaseLines, type ImportFormat } from './imports/purchase-rows';
export {
  CUSTOMER_VULNERABILITY_PROJECTION,
  CUSTOMER_VULNERABILITY_TABLE,
  customerVulnerabilities,
  customerVulnerabilityMigrations,
  customerVulnerabilityProjection,
  type CustomerVulnerabilityTables,
  type CustomerVulnerabilityView,
} from './projections/customer-vulnerability.projection';
