/**
 * What other modules, the CLI and the read side may use of the identity module without loading its HTTP layer (Nest, Swagger,
 * Fastify, validation): a rebuild or a CLI command loads only this. public.ts offers all of it and the rest.
 */
export { ROLE_MATRIX, accessOf, mayCall, operationsOf, type OperationId, type RouteAccess } from './role-matrix';
export { API_ROLES, isApiRole, type ApiRole } from './roles';
export { TOKEN_USAGE, tokenCommand, TokenUsageError } from './token-command';
export { knownActor } from './verified-actor';
