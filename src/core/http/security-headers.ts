import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';

export type SecurityHeaderOptions = HelmetOptions;

type HelmetMiddleware = ReturnType<typeof helmet>;

/** What Helmet does to a response: headers set and removed, in order. */
type HeaderStep = readonly ['set', string, OutgoingHttpHeader] | readonly ['remove', string];

/**
 * Helmet's security headers on every answer, without @fastify/helmet: that plugin builds the middleware again for every
 * request (parsing the Content-Security-Policy directives each time), and even built once Helmet runs a dozen
 * middlewares per request. With options that do not depend on the request, what Helmet does is recorded once and
 * replayed on each answer.
 */
export function addSecurityHeaders(fastify: FastifyInstance, options: SecurityHeaderOptions): void {
  const apply = helmet(options);
  const steps = dependsOnRequest(options) ? undefined : recorded(apply);
  if (!steps) {
    fastify.addHook('onRequest', (request, reply, done) => apply(request.raw, reply.raw, (error) => done(error as Error | undefined)));
    return;
  }
  fastify.addHook('onRequest', (_request, reply, done) => {
    for (const step of steps) {
      if (step[0] === 'set') reply.raw.setHeader(step[1], step[2]);
      else reply.raw.removeHeader(step[1]);
    }
    done();
  });
}

/** Directives given as functions (nonces) are computed per request. */
function dependsOnRequest(options: SecurityHeaderOptions): boolean {
  const csp = options.contentSecurityPolicy;
  const directives = csp && typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  return directives.some(
    (value) => typeof value === 'function' || (Array.isArray(value) && value.some((item) => typeof item === 'function')),
  );
}

/** The steps Helmet takes on a response, or undefined if it did not finish at once and without error. */
function recorded(apply: HelmetMiddleware): HeaderStep[] | undefined {
  const steps: HeaderStep[] = [];
  const response = {
    setHeader: (name: string, value: OutgoingHttpHeader) => void steps.push(['set', name, value]),
    removeHeader: (name: string) => void steps.push(['remove', name]),
  } as unknown as ServerResponse;
  let finished = false;
  apply({ headers: {} } as IncomingMessage, response, (error) => (finished = error === undefined));
  return finished ? steps : undefined;
}
