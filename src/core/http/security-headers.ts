import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

export type SecurityHeaderOptions = Omit<FastifyHelmetOptions, 'global' | 'enableCSPNonces'>;

type HelmetMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** Helmet as @fastify/helmet depends on it (not a dependency of Redress's own). */
const helmet = createRequire(require.resolve('@fastify/helmet'))('helmet') as (options: SecurityHeaderOptions) => HelmetMiddleware;

/**
 * Helmet's security headers on every answer, the middleware built once: @fastify/helmet builds it again for every
 * request (parsing the Content-Security-Policy directives each time), a measurable share of a small command's CPU.
 */
export function addSecurityHeaders(fastify: FastifyInstance, options: SecurityHeaderOptions): void {
  const apply = helmet(options);
  fastify.addHook('onRequest', (request, reply, done) => apply(request.raw, reply.raw, (error) => done(error as Error | undefined)));
}
