import { Controller, ForbiddenException, Get, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard, UnauthenticatedError } from './auth.guard';
import { Public } from '../core/http/public-route';
import { RequestAuthentication } from './request-authentication';
import { API_ROLES, type ApiRole } from './roles';
import { InvalidTokenError } from './tokens';
import { verifiedActor } from './verified-actor';

@Controller('examples')
class ExampleController {
  @Get('listed') @ApiOperation({ operationId: 'listCases' }) listed() {
    return [];
  }
  @Get('unlisted') @ApiOperation({ operationId: 'somethingNew' }) unlisted() {
    return [];
  }
  @Get('anonymous') anonymous() {
    return [];
  }
  @Get('open') @Public() @ApiOperation({ operationId: 'openThing' }) open() {
    return [];
  }
}

describe('AuthGuard', () => {
  const headers: Record<string, string> = {};
  const reply = {
    header: (name: string, value: string) => {
      headers[name] = value;
      return reply;
    },
  } as unknown as FastifyReply;
  /** A guard whose tokens are "role-<role>"; anything else is invalid. */
  const guard = new AuthGuard(
    new Reflector(),
    new RequestAuthentication(async (token) => {
      const role = token.replace(/^role-/, '');
      if (!(API_ROLES as readonly string[]).includes(role)) throw new InvalidTokenError('bad token');
      return { id: `user-${role}`, role: role as ApiRole };
    }),
  );
  function context(handler: keyof ExampleController, authorization?: string): { context: ExecutionContext; request: FastifyRequest } {
    const request = {
      method: 'GET',
      url: `/examples/${handler}`,
      headers: authorization ? { authorization } : {},
    } as unknown as FastifyRequest;
    const context = {
      getType: () => 'http',
      getHandler: () => ExampleController.prototype[handler],
      getClass: () => ExampleController,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
    } as unknown as ExecutionContext;
    return { context, request };
  }

  it('admits a role the matrix allows and records the verified actor for ACTOR_OF_REQUEST', async () => {
    const { context: listed, request } = context('listed', 'Bearer role-analyst');
    await expect(guard.canActivate(listed)).resolves.toBe(true);
    expect(verifiedActor(request)).toEqual({ id: 'user-analyst', role: 'analyst' });
  });

  it('refuses, for every role, a route the matrix does not list and a route without an operationId (deny by default)', async () => {
    for (const role of API_ROLES) {
      await expect(guard.canActivate(context('unlisted', `Bearer role-${role}`).context)).rejects.toThrow(
        new ForbiddenException('No role may call this route: somethingNew is not in the role matrix.'),
      );
      await expect(guard.canActivate(context('anonymous', `Bearer role-${role}`).context)).rejects.toThrow(ForbiddenException);
    }
  });

  it('refuses a role the matrix does not allow with 403 naming the allowed roles', async () => {
    await expect(guard.canActivate(context('listed', 'Bearer role-admin').context)).rejects.toThrow(
      'The role admin may not call listCases (GET /cases); allowed: agent, supervisor, analyst.',
    );
  });

  it('answers 401 with the RFC 6750 challenge for no token and for a bad one', async () => {
    await expect(guard.canActivate(context('listed').context)).rejects.toThrow(UnauthenticatedError);
    expect(headers['www-authenticate']).toBe('Bearer realm="redress"');
    await expect(guard.canActivate(context('listed', 'Bearer nonsense').context)).rejects.toThrow(UnauthenticatedError);
    expect(headers['www-authenticate']).toBe('Bearer realm="redress", error="invalid_token", error_description="bad token"');
  });

  it('lets @Public() routes through without a token, and they have no actor', async () => {
    const { context: open, request } = context('open');
    await expect(guard.canActivate(open)).resolves.toBe(true);
    expect(() => verifiedActor(request)).toThrow(/No verified actor/);
  });
});
