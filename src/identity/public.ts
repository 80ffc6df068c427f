/** What the rest of Redress may use of identity: the module, the decorators, the document step, the token command. */
export * from './headless';
export { IdentityModule } from './identity.module';
export { ApiActor, BEARER_SCHEME } from './api-actor';
export { Public, IS_PUBLIC } from '../core/http/public-route';
export { secureDocument } from './openapi-security';
export { RequestAuthentication } from './request-authentication';
export { bearerFor, type BearerFor } from './service-tokens';
