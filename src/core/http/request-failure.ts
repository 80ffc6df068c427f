import type { FastifyRequest } from 'fastify';

const failures = new WeakMap<FastifyRequest, unknown>();

/** The error behind a request's 500 answer: kept for the request's log line (the client gets none of it). */
export function recordFailure(request: FastifyRequest, error: unknown): void {
  failures.set(request, error);
}

export function failureOf(request: FastifyRequest): unknown {
  return failures.get(request);
}
