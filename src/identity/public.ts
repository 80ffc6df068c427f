/** What the rest of Redress may use of identity: the module, the decorators, the document step, the token command. */
export { IdentityModule } from './identity.module';
export { ApiActor, BEARER_SCHEME } from './api-actor';
export { Public, IS_PUBLIC } from '../core/http/public-route';
export { secureDocument } from './openapi-security';
export { RequestAuthentication } from './request-authentication';
export { ROLE_MATRIX, accessOf, mayCall, operationsOf, type OperationId, type RouteAccess } from './role-matrix';
export { API_ROLES, isApiRole, type ApiRole } from './roles';
export { TOKEN_USAGE, tokenCommand, TokenUsageError } from './token-command';
export { bearerFor, type BearerFor } from './service-tokens';
export { knownActor } from './verified-actor';
