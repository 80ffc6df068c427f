import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '../core/http/public-route';
import { RequestAuthentication } from './request-authentication';
import { accessOf } from './role-matrix';
import { setVerifiedActor } from './verified-actor';

export const REALM = 'redress';

/** 401: the request carries no acceptable bearer token. */
export class UnauthenticatedError extends HttpException {
  constructor(detail: string) {
    super(detail, HttpStatus.UNAUTHORIZED);
  }
}

/** RFC 6750 section 3: no error code when the client sent no token, `invalid_token` when it sent a bad one. */
export function wwwAuthenticate(description?: string): string {
  if (description === undefined) return `Bearer realm="${REALM}"`;
  // error_description allows visible ASCII except " and \ (RFC 6750, section 3).
  const safe = description.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "'");
  return `Bearer realm="${REALM}", error="invalid_token", error_description="${safe}"`;
}

/**
 * The one gate of every route: @Public() routes pass; every other needs a valid bearer token
 * (401 otherwise), whose role the role matrix must allow for the route's operationId (403
 * otherwise, and for every role on a route the matrix does not list). The verified actor is
 * recorded on the request for ACTOR_OF_REQUEST.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RequestAuthentication) private readonly authentication: RequestAuthentication,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();

    const result = await this.authentication.of(request);
    switch (result.outcome) {
      case 'missing':
        void reply.header('www-authenticate', wwwAuthenticate());
        throw new UnauthenticatedError('This route needs a bearer token: send Authorization: Bearer <token>.');
      case 'invalid':
        void reply.header('www-authenticate', wwwAuthenticate(result.description));
        throw new UnauthenticatedError(`${result.description}.`);
      case 'unavailable':
        void reply.header('retry-after', '5');
        throw new ServiceUnavailableException(result.error.message);
      case 'authenticated':
        break;
    }

    const operationId = this.reflector.get<{ operationId?: string } | undefined>(
      DECORATORS.API_OPERATION,
      context.getHandler(),
    )?.operationId;
    const access = accessOf(operationId);
    if (!access) {
      throw new ForbiddenException(`No role may call this route: ${operationId ?? 'it has no operationId'} is not in the role matrix.`);
    }
    if (!access.roles.includes(result.actor.role)) {
      throw new ForbiddenException(
        `The role ${result.actor.role} may not call ${operationId} (${access.route}); allowed: ${access.roles.join(', ')}.`,
      );
    }
    setVerifiedActor(request, result.actor);
    return true;
  }
}
