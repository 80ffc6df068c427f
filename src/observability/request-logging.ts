import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
// Not re-exported by nestjs-pino's index: the store its loggers read the request's logger from.
import { storage, Store } from 'nestjs-pino/storage';
import { isSpanContextValid, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { failureOf, recordFailure } from '../core/http/request-failure';
import { knownActor } from '../identity/headless';

export const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_ID = /^[\x21-\x7e]{1,255}$/;

/** The incoming X-Correlation-Id when it is well formed, else a new one: Fastify's request id, so every line of the request carries it. */
export function correlationIdOf(request: IncomingMessage): string {
  const header = request.headers[CORRELATION_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && CORRELATION_ID.test(value) ? value : randomUUID();
}

/** What every request line says, an error's too. */
function requestFields(request: FastifyRequest, reply: FastifyReply) {
  return {
    method: request.method,
    route: request.routeOptions.url ?? null,
    path: request.url.split('?')[0],
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
    actorId: knownActor(request)?.id ?? null,
    ...traceOfRequest(request),
  };
}

/** The trace each request ran in, taken while its answer is being sent (the request line is written after). */
const requestTraces = new WeakMap<FastifyRequest, { traceId: string; spanId: string }>();

function traceOfRequest(request: FastifyRequest): object {
  return requestTraces.get(request) ?? {};
}

/**
 * The request's own span (@fastify/otel keeps it on the request until the answer is sent): the active context when the
 * line is written may be a stream's (a bounded body's) rather than the request's.
 */
function rememberTrace(request: FastifyRequest): void {
  const { span } = (request as { opentelemetry?: () => { span?: Span | null } }).opentelemetry?.() ?? {};
  const context = span?.spanContext();
  if (context && isSpanContextValid(context)) requestTraces.set(request, { traceId: context.traceId, spanId: context.spanId });
}

/** Whether the logger writes lines at `level` (Fastify's type does not say it is pino's; ours always is). */
function writes(log: FastifyBaseLogger, level: 'info' | 'error'): boolean {
  const { isLevelEnabled } = log as Partial<Pick<Logger, 'isLevelEnabled'>>;
  return isLevelEnabled === undefined || isLevelEnabled.call(log, level);
}

const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * One line per request, when its answer is sent: Fastify's own two lines (incoming, completed) are not
 * written. A 500's line is at `error` with the failure and its stack; a client that went away is not an error.
 */
export class RequestLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'correlationId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const aborted = error && CLIENT_GONE.has((error as NodeJS.ErrnoException).code ?? '');
    const failure = aborted ? undefined : (error ?? failureOf(request));
    const failed = !aborted && (failure !== undefined || reply.statusCode >= 500);
    // The line's fields are not gathered for a line the level leaves out (every request's, at LOG_LEVEL=error).
    if (!writes(request.log, failed ? 'error' : 'info')) return;
    const fields = requestFields(request, reply);
    if (aborted) {
      request.log.info({ ...fields, aborted: true }, 'request aborted by the client');
    } else if (failed) {
      request.log.error({ ...fields, err: failure }, `${fields.method} ${fields.route ?? fields.path} ${fields.status}`);
    } else {
      request.log.info(fields, `${fields.method} ${fields.route ?? fields.path} ${fields.status}`);
    }
  }

  override routeNotFound(): void {}

  /** Errors Fastify answers itself (Nest's filter answers the rest): said once, by the request line. */
  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) recordFailure(request, error);
  }
}

/**
 * Echoes the correlation id on every answer (problems included), binds the request's logger for Nest's loggers while
 * it runs, and notes clients that leave before their answer. The binding is nestjs-pino's own store, set here rather
 * than by its LoggerModule: that module binds it through Nest middleware, which puts @fastify/middie (URL matching
 * and a middleware runner) on every request, 1–2 % of a command's CPU.
 */
export function installRequestLogging(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    // Every later hook, the body's parsing and the route run inside this call or in work it starts.
    storage.run(new Store(request.log as Logger), done);
  });
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    rememberTrace(request);
    done(null, payload);
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    request.log.info({ method: request.method, route: request.routeOptions.url ?? null, aborted: true }, 'request aborted by the client');
    done();
  });
}

/** The adapter options that make Fastify log through the root logger, with the correlation id as request id. */
export function fastifyLogging(root: Logger) {
  return {
    loggerInstance: root,
    logController: new RequestLog(),
    requestIdHeader: false as const,
    genReqId: correlationIdOf,
  };
}
