import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject, Logger } from '@nestjs/common';
import { BrokenChainError } from '../event-store/hash-chain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainRuleViolation, IdempotencyKeyReusedError, NotFoundError, StaleRevisionError } from '../errors';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { ReadModelBehindError } from '../projections/projections.service';
import { CORE_SETTINGS, type CoreSettings } from '../settings';
import { PROBLEM_TYPES, type ProblemCode, codeOfStatus, titleOfStatus } from './problem-types';
import { recordFailure } from './request-failure';
import { ReadStoreUnavailableError } from '../read-store/read-store';

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

/** Raised where a route answers a problem of its own making (e.g. an import's 415), with its own detail. */
export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    detail: string,
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

/** A problem of a known type; `type` is relative here and made absolute (PUBLIC_BASE_URL) when sent. */
function problem(code: ProblemCode, detail: string, extra: Partial<Problem> = {}): Problem {
  const { status, title } = PROBLEM_TYPES[code];
  return { type: problemTypePath(code), title, status, detail, ...extra };
}

export function problemTypePath(code: string): string {
  return `/problems/${encodeURIComponent(code)}`;
}

/** Maps every error the service can raise to a problem. Unknown errors are answered as 500 without internals (the log has them). */
export function toProblem(error: unknown): Problem {
  if (error instanceof RequestValidationError) {
    return problem('validation', error.errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors: error.errors });
  }
  if (error instanceof DomainRuleViolation) {
    return { type: problemTypePath(error.rule), title: 'Refused by a business rule', status: 409, detail: error.message, rule: error.rule };
  }
  if (error instanceof ProblemError) return problem(error.code, error.message);
  if (error instanceof StaleRevisionError) return problem('stale-revision', error.message);
  if (error instanceof WrongExpectedRevisionError) {
    return problem('concurrent-modification', 'The case kept changing while this command was decided; retry it.');
  }
  if (error instanceof IdempotencyKeyReusedError) return problem('idempotency-key-reused', error.message);
  if (error instanceof NotFoundError) return problem('not-found', error.message);
  if (error instanceof ReadModelBehindError) return problem('read-model-behind', error.message);
  if (error instanceof ReadStoreUnavailableError) {
    return problem('read-store-unavailable', `${error.message}. Commands are still accepted; retry the read.`);
  }
  if (error instanceof EventStoreUnavailableError) {
    return problem('event-store-unavailable', `${error.message}. Nothing was recorded; retry the command.`);
  }
  if (sqliteBusy(error)) return problem('store-busy', 'The store stayed locked past its busy timeout; retry shortly.');
  if (error instanceof BrokenChainError) {
    return problem('broken-chain', error.message, { stream: error.streamName, revision: error.revision });
  }
  if (error instanceof HttpException) return fromHttpException(error);
  return problem('internal', 'The server failed to handle the request; it has been logged.');
}

/**
 * HttpExceptions come from Nest itself (unknown route) or from Fastify rejecting a body before
 * any route runs (Nest wraps those, keeping only the status and message).
 */
function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  switch (status) {
    case 400:
      return problem('malformed-request', error.message, { errors: [{ field: 'body', message: error.message }] });
    case 404:
      return problem('not-found', error.message);
    case 408:
      return problem('request-timeout', error.message);
    case 413:
      return problem('body-too-large', 'The request body is larger than the server accepts.');
    case 415:
      return problem('unsupported-media-type', 'Send the body as application/json.');
    default:
      return { type: problemTypePath(codeOfStatus(status)), title: titleOfStatus(status), status, detail: error.message };
  }
}

/** Seconds a 503 asks the client to wait: the read model's own estimate, else a minute (a broken chain needs an operator). */
function retryAfterSeconds(error: unknown): number {
  if (error instanceof ReadModelBehindError || error instanceof ReadStoreUnavailableError || error instanceof EventStoreUnavailableError) {
    return error.retryAfterSeconds;
  }
  return sqliteBusy(error) ? 1 : 60;
}

function sqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** The client went away mid-request (closed the socket, aborted the upload): nothing to answer, nothing to log as an error. */
export function clientAborted(error: unknown, request: FastifyRequest): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    request.raw.socket?.destroyed === true ||
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error instanceof Error && error.message === 'aborted')
  );
}

const logger = new Logger('Problems');

/**
 * Answers the error as a problem whose `type` is absolute under `baseUrl` (PUBLIC_BASE_URL), dereferenceable at
 * /problems/<code>; `extra` adds members (e.g. how far an interrupted import got).
 */
export function sendProblem(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  baseUrl: string,
  extra: Record<string, unknown> = {},
): void {
  if (clientAborted(error, request)) {
    logger.debug(`${request.method} ${request.url}: the client went away (${error instanceof Error ? error.message : String(error)})`);
    if (!reply.sent) void reply.status(499).send();
    return;
  }
  const found = toProblem(error);
  const body = { ...found, type: `${baseUrl}${found.type}`, instance: request.url, ...extra };
  // A route that knows better (e.g. the token check waiting for the identity provider's keys) has set its own.
  if (body.status === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', String(retryAfterSeconds(error)));
  // Logged with the request's line (method, route, correlation id) and its stack; never in the answer.
  if (body.status === 500) recordFailure(request, error);
  if (body.status === 408) void reply.header('connection', 'close');
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/** Answers every error, including Fastify's body-parsing ones (Nest routes those here too), as a problem. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(CORE_SETTINGS) private readonly settings: Pick<CoreSettings, 'publicBaseUrl'>) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.settings.publicBaseUrl);
  }
}
