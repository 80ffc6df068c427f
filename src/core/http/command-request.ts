import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '../command-handling';
import { FieldError, RequestValidationError } from './problem-details';

/** Who acts on a request, as the composition decides it (today the actor headers; a verified token once authentication lands). */
export interface RequestActor {
  readonly id: string;
  readonly role: string;
}
/** Typed by the composition with its own actor type (the kernel's Actor). */
export type ActorOfRequest<Actor extends RequestActor = RequestActor> = (request: FastifyRequest) => Actor;
export const ACTOR_OF_REQUEST = Symbol('ActorOfRequest');

/** What the command headers say: how to deduplicate, how to correlate, which revision the client saw. */
export interface CommandHeaders {
  /** The Idempotency-Key, if the client sent one. */
  readonly idempotencyKey?: string;
  readonly correlationId: string;
  readonly expectedRevision?: number;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const CORRELATION_ID = /^[\x21-\x7e]{1,255}$/;
const ETAG_REVISION = /^(?:W\/)?"(\d{1,15})"$|^(\d{1,15})$/;

export function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the command headers; every malformed one is named in a single 400. */
export function readCommandHeaders(request: FastifyRequest): CommandHeaders {
  const errors: FieldError[] = [];
  const check = (name: string, value: string | undefined, pattern: RegExp, message: string) => {
    if (value !== undefined && !pattern.test(value)) errors.push({ field: name, message });
    return value;
  };
  const idempotencyKey = check(
    'Idempotency-Key',
    headerOf(request, 'idempotency-key'),
    IDEMPOTENCY_KEY,
    'must be 1 to 255 visible ASCII characters',
  );
  const correlationId =
    check('X-Correlation-Id', headerOf(request, 'x-correlation-id'), CORRELATION_ID, 'must be 1 to 255 visible ASCII characters') ??
    // The request's id: generated as the correlation id when the client sent none, and echoed as X-Correlation-Id.
    (request.id || randomUUID());
  const ifMatch = headerOf(request, 'if-match');
  const match = ifMatch === undefined ? undefined : ETAG_REVISION.exec(ifMatch.trim());
  if (ifMatch !== undefined && !match) errors.push({ field: 'If-Match', message: 'must be the ETag of a case revision, e.g. "3"' });

  if (errors.length > 0) throw new RequestValidationError(errors);
  return { idempotencyKey, correlationId, expectedRevision: match ? Number(match[1] ?? match[2]) : undefined };
}

/** The context an HTTP command is handled in: the request is its own cause. */
export function commandContext(
  headers: CommandHeaders,
  actor: RequestActor,
  commandId: string,
  occurredAt: string,
  requestFingerprint?: string,
  newCommandId = false,
  newStream = false,
): CommandContext {
  return {
    ...(requestFingerprint ? { requestFingerprint } : {}),
    ...(newCommandId ? { newCommandId } : {}),
    ...(newCommandId && newStream ? { newStream } : {}),
    commandId,
    correlationId: headers.correlationId,
    causationId: commandId,
    actor,
    occurredAt,
    expectedRevision: headers.expectedRevision,
  };
}
