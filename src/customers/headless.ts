/**
 * What other modules, the CLI and the read side may use of the customers module without loading its HTTP layer (Nest, Swagger,
 * Fastify, validation): a rebuild or a CLI command loads only this. public.ts offers all of it and the rest.
 */
export { CUSTOMER_RULES, CUSTOMER_STREAM_PREFIX, purchaseCommandId } from './domain/customer.decider';
export type { CustomerEvent } from './domain/customer.events';
export { CUSTOMER_PERSONAL_FIELDS } from './domain/customer.personal-data';
export { CUSTOMER_UPCASTERS } from './domain/customer.upcasters';
export {
  CUSTOMER_VULNERABILITY_PROJECTION,
  CUSTOMER_VULNERABILITY_TABLE,
  customerVulnerabilities,
  customerVulnerabilityMigrations,
  customerVulnerabilityProjection,
  type CustomerVulnerabilityTables,
  type CustomerVulnerabilityView,
} from './projections/customer-vulnerability.projection';
export { IMPORT_FORMATS, type ImportFormat } from './imports/import-formats';
