import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ACTOR_OF_REQUEST } from '../core/http/command-request';
import { AuthGuard } from './auth.guard';
import { RequestAuthentication, VERIFY_TOKEN } from './request-authentication';
import { resolveSigningSecret } from './signing-secret';
import { tokenVerifier, type VerifyToken } from './tokens';
import { verifiedActor } from './verified-actor';

const logger = new Logger('Identity');

function verifierFor(config: AppConfig): VerifyToken {
  const secret = resolveSigningSecret(config);
  if (secret?.source === 'generated')
    logger.log(`Made a token signing secret in ${secret.file} (mode 0600); mint tokens with \`npm run token -- --sub <id> --role <role>\``);
  if (secret?.file && config.eventStoreUrl) {
    logger.warn(
      `Tokens are signed with the secret in ${secret.file}: set the same AUTH_SECRET on every instance, or tokens of one will not pass another`,
    );
  }
  return tokenVerifier({ secret: secret?.value, jwksUrl: config.auth.jwksUrl, issuer: config.auth.issuer, audience: config.auth.audience });
}

/**
 * Who acts on a request: a global guard admits a request only with a valid bearer token whose role
 * the role matrix allows for the route, and ACTOR_OF_REQUEST answers that token's sub and role.
 */
@Global()
@Module({
  providers: [
    { provide: VERIFY_TOKEN, inject: [APP_CONFIG], useFactory: verifierFor },
    { provide: RequestAuthentication, inject: [VERIFY_TOKEN], useFactory: (verify: VerifyToken) => new RequestAuthentication(verify) },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: ACTOR_OF_REQUEST, useValue: verifiedActor },
  ],
  exports: [ACTOR_OF_REQUEST, RequestAuthentication],
})
export class IdentityModule {}
