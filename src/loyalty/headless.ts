/**
 * What other modules, the CLI and the read side may use of the loyalty module without loading its HTTP layer (Nest, Swagger,
 * Fastify, validation): a rebuild or a CLI command loads only this. public.ts offers all of it and the rest.
 */
export { loyaltyFactsProjection } from './projection/loyalty-facts.projection';
export { loyaltyMigrations, type LoyaltyTables } from './projection/loyalty-facts.tables';
export { LOYALTY_GROUP_BY } from './queries/loyalty-outcomes/loyalty-group-by';
