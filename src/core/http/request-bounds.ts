import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';

/** How long a body may take: a JSON body must arrive whole within `bodyTimeoutMs`; a streamed one may pause at most `streamIdleTimeoutMs`. */
export interface BodyBounds {
  readonly bodyTimeoutMs: number;
  readonly streamIdleTimeoutMs: number;
}

/** Route config (`@RouteConfig(STREAMED_BODY)`) of routes that read their body as a stream (imports): only their idle time is bounded. */
export const STREAMED_BODY = { streamedBody: true } as const;

/** The body did not arrive in time: 408, and the connection is closed (the rest of the body is not waited for). */
export class RequestTimeoutError extends HttpException {
  /** Fastify answers an error raised while it reads a body with its statusCode. */
  readonly statusCode = HttpStatus.REQUEST_TIMEOUT;

  constructor(message: string) {
    super(message, HttpStatus.REQUEST_TIMEOUT);
  }
}

/**
 * Bounds the time a request body may take, before any route reads it: a client that dribbles a body (a byte every
 * few seconds) holds a connection and a parser for as long as it likes otherwise. Node's requestTimeout cannot
 * tell an import that streams for minutes from a stalled JSON body, so the bounds are per route here.
 */
export function boundRequestBodies(fastify: FastifyInstance, bounds: BodyBounds): void {
  fastify.addHook('preParsing', async (request: FastifyRequest, reply, payload) => {
    if (!readsBody(request)) return payload;
    const streamed = (request.routeOptions.config as { streamedBody?: boolean } | undefined)?.streamedBody === true;
    return streamed
      ? deadlined(payload, reply.raw, { idleMs: bounds.streamIdleTimeoutMs })
      : deadlined(payload, reply.raw, { idleMs: bounds.bodyTimeoutMs, totalMs: bounds.bodyTimeoutMs });
  });
}

/** Methods whose body Fastify never reads (it answers them without parsing one): a bound on it would wait on nothing. */
const BODYLESS = new Set(['GET', 'HEAD', 'TRACE']);

/**
 * Whether the stream this hook returns is the one the body is read from. Not for a bodyless method, nor for
 * multipart/form-data, which @fastify/multipart reads from the raw request itself (a copy piped off here would take
 * its bytes and never be read); those are left to the socket's connectionTimeout.
 */
function readsBody(request: FastifyRequest): boolean {
  if (BODYLESS.has(request.method)) return false;
  if (/^multipart\//i.test(request.headers['content-type'] ?? '')) return false;
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The body as a stream that fails with a RequestTimeoutError when no byte came for `idleMs`, or the whole body did
 * not within `totalMs`; and with the client's abort when the client goes away (so a reader never waits forever).
 * Once the response is done (sent, or its connection gone) the bound is over: a body nobody read (a request refused
 * before its body was parsed, 413, 415) is drained and dropped, never failed later. The failure is the reader's to
 * answer; when there is no reader any more it is dropped (an 'error' without a listener would end the process).
 */
function deadlined(payload: Readable, response: ServerResponse, limits: { idleMs: number; totalMs?: number }): Readable {
  const bounded = new PassThrough();
  bounded.on('error', () => undefined);
  let settled = false;
  const fail = (error: Error) => {
    if (settled) return;
    settled = true;
    clear();
    payload.unpipe(bounded);
    payload.pause();
    bounded.destroy(error);
  };
  const abandon = () => {
    if (settled) return;
    settled = true;
    clear();
    if (payload.readableEnded) return;
    payload.unpipe(bounded);
    // Whatever of the body still comes is read and dropped, so the connection can serve its next request or close.
    if (!payload.destroyed) payload.resume();
    // A reader still at it (an import) learns the client went away; an answered request's unread body just ends.
    bounded.destroy(response.writableFinished ? undefined : aborted());
  };
  const idle = setTimeout(() => {
    // Bytes still waiting in the buffer: the reader is slow (an import appending), not the client.
    if (bounded.readableLength > 0 || bounded.writableLength > 0) return idle.refresh();
    fail(new RequestTimeoutError(`No part of the request body arrived for ${limits.idleMs} ms.`));
  }, limits.idleMs);
  const total =
    limits.totalMs === undefined
      ? undefined
      : setTimeout(
          () => fail(new RequestTimeoutError(`The request body did not arrive whole within ${limits.totalMs} ms.`)),
          limits.totalMs,
        );
  const clear = () => {
    clearTimeout(idle);
    if (total) clearTimeout(total);
  };
  payload.on('data', () => idle.refresh());
  payload.on('end', () => {
    settled = true;
    clear();
  });
  payload.on('error', (error) => fail(error));
  payload.on('close', () => {
    if (!payload.readableEnded) fail(aborted());
  });
  bounded.on('close', clear);
  response.once('close', abandon);
  payload.pipe(bounded);
  return bounded;
}

const aborted = () => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
