import type { FastifyRequest } from 'fastify';
import type { RequestActor } from '../core/http/command-request';
import type { TokenActor } from './tokens';

const actors = new WeakMap<FastifyRequest, TokenActor>();

/** The guard records who the verified token says acts; nothing else may. */
export function setVerifiedActor(request: FastifyRequest, actor: TokenActor): void {
  actors.set(request, actor);
}

/**
 * ACTOR_OF_REQUEST: the actor of a request is its verified token's `sub` and `role`, never a body
 * field or another header. A route that asks on a public route (no token) is a programming error.
 */
export function verifiedActor(request: FastifyRequest): RequestActor {
  const actor = actors.get(request);
  if (!actor) throw new Error(`No verified actor on ${request.method} ${request.url}: the route is @Public() or the AuthGuard did not run`);
  return { id: actor.id, role: actor.role };
}

/** The verified actor of a request, if its token was verified (for its log line); undefined on public routes and refusals. */
export function knownActor(request: FastifyRequest): RequestActor | undefined {
  return actors.get(request);
}
