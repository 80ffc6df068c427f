import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BrokenChainError } from '../event-store/hash-chain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainRuleViolation, IdempotencyKeyReusedError, NotFoundError, StaleRevisionError } from '../errors';
import { WrongExpectedRevisionError } from '../event-store/event-store.port';
import { ReadModelBehindError } from '../projections/projections.service';

/** RFC 9457 problem details: the one error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The domain rule that refused the command, when one did. */
  rule?: string;
  /** Per-field reasons for an invalid request. */
  errors?: FieldError[];
  /** The stream and revision whose hash chain is broken (broken-chain). */
  stream?: string;
  revision?: number;
}

export interface FieldError {
  field: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Thrown for a request whose body, parameters or headers are invalid; carries every reason at once. */
export class RequestValidationError extends HttpException {
  constructor(readonly errors: FieldError[]) {
    super('The request is invalid', HttpStatus.BAD_REQUEST);
  }
}

function problem(status: number, code: string, title: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `/problems/${code}`, title, status, detail, ...extra };
}

/** A problem a route states in full itself (status, type, title and its own words). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ProblemError';
  }
}

/** Maps every error the service can raise to a problem. Unknown errors are logged and answered as 500 without internals. */

export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  if (error instanceof RequestValidationError) {
    return problem(400, 'validation', 'Invalid request', error.errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      errors: error.errors,
    });
  }
  if (error instanceof DomainRuleViolation) {
    return problem(409, error.rule, 'Refused by a business rule', error.message, { rule: error.rule });
  }
  if (error instanceof StaleRevisionError) return problem(409, 'stale-revision', 'Stale revision', error.message);
  if (error instanceof WrongExpectedRevisionError) {
    return problem(
      409,
      'concurrent-modification',
      'Concurrent modification',
      'The case kept changing while this command was decided; retry it.',
    );
  }
  if (error instanceof IdempotencyKeyReusedError) return problem(422, 'idempotency-key-reused', 'Idempotency-Key reused', error.message);
  if (error instanceof NotFoundError) return problem(404, 'not-found', 'Not found', error.message);
  if (error instanceof ReadModelBehindError) return problem(503, 'read-model-behind', 'Read model behind', error.message);
  if (error instanceof BrokenChainError) {
    return problem(503, 'broken-chain', 'Broken hash chain', error.message, { stream: error.streamName, revision: error.revision });
  }
  if (error instanceof HttpException) return fromHttpException(error);
  return problem(500, 'internal', 'Internal error', 'The server failed to handle the request; it has been logged.');
}

/**
 * HttpExceptions come from Nest itself (unknown route) or from Fastify rejecting a body before
 * any route runs (Nest wraps those, keeping only the status and message).
 */
function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  switch (status) {
    case 400:
      return problem(400, 'malformed-request', 'Malformed request', error.message, { errors: [{ field: 'body', message: error.message }] });
    case 404:
      return problem(404, 'not-found', 'Not found', error.message);
    case 413:
      return problem(413, 'body-too-large', 'Body too large', 'The request body is larger than the server accepts.');
    case 415:
      return problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.');
    default: {
      const title = String(HttpStatus[status] ?? 'error')
        .toLowerCase()
        .replace(/_/g, ' ');
      return problem(status, title.replace(/ /g, '-'), title.charAt(0).toUpperCase() + title.slice(1), error.message);
    }
  }
}

const logger = new Logger('Problems');

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const body = { ...toProblem(error), instance: request.url };
  if (error instanceof ReadModelBehindError) void reply.header('retry-after', String(error.retryAfterSeconds));
  if (body.status === 500) logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/** Answers every error, including Fastify's body-parsing ones (Nest routes those here too), as a problem. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    sendProblem(error, host.switchToHttp().getRequest<FastifyRequest>(), host.switchToHttp().getResponse<FastifyReply>());
  }
}
