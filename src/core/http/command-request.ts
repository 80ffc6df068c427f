import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ID_PATTERN } from '../identifiers';
import type { CommandContext } from '../command-handling';
import { FieldError, RequestValidationError } from './problem-details';

export const HTTP_ACTOR_ROLES = ['agent', 'supervisor', 'customer'] as const;
export type HttpActorRole = (typeof HTTP_ACTOR_ROLES)[number];

/** What the command headers say: who acts, how to deduplicate, which revision the client saw. */
export interface CommandHeaders {
  readonly actor: { readonly id: string; readonly role: HttpActorRole };
  /** The Idempotency-Key, if the client sent one. */
  readonly idempotencyKey?: string;
  readonly correlationId: string;
  readonly expectedRevision?: number;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const CORRELATION_ID = /^[\x21-\x7e]{1,255}$/;
const ETAG_REVISION = /^(?:W\/)?"(\d{1,15})"$|^(\d{1,15})$/;

/**
 * Reads the command headers. Until authentication exists the actor is whoever the headers say;
 * the `system` role is reserved for Redress's own processes and refused here.
 */
export function readCommandHeaders(request: FastifyRequest): CommandHeaders {
  const errors: FieldError[] = [];
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const check = (name: string, value: string | undefined, pattern: RegExp, message: string) => {
    if (value !== undefined && !pattern.test(value)) errors.push({ field: name, message });
    return value;
  };

  const actorId = check('X-Actor-Id', header('x-actor-id'), ID_PATTERN, 'must hold only letters, digits and - _ . : (1 to 128 characters)') ?? 'anonymous';
  const role = header('x-actor-role') ?? 'agent';
  if (!(HTTP_ACTOR_ROLES as readonly string[]).includes(role)) {
    errors.push({ field: 'X-Actor-Role', message: `must be one of: ${HTTP_ACTOR_ROLES.join(', ')}` });
  }
  const idempotencyKey = check('Idempotency-Key', header('idempotency-key'), IDEMPOTENCY_KEY, 'must be 1 to 255 visible ASCII characters');
  const correlationId = check('X-Correlation-Id', header('x-correlation-id'), CORRELATION_ID, 'must be 1 to 255 visible ASCII characters') ?? randomUUID();
  const ifMatch = header('if-match');
  const match = ifMatch === undefined ? undefined : ETAG_REVISION.exec(ifMatch.trim());
  if (ifMatch !== undefined && !match) errors.push({ field: 'If-Match', message: 'must be the ETag of a case revision, e.g. "3"' });

  if (errors.length > 0) throw new RequestValidationError(errors);
  return {
    actor: { id: actorId, role: role as HttpActorRole },
    idempotencyKey,
    correlationId,
    expectedRevision: match ? Number(match[1] ?? match[2]) : undefined,
  };
}

/** The context an HTTP command is handled in: the request is its own cause. */
export function commandContext(headers: CommandHeaders, commandId: string, occurredAt: string): CommandContext {
  return {
    commandId,
    correlationId: headers.correlationId,
    causationId: commandId,
    actor: headers.actor,
    occurredAt,
    expectedRevision: headers.expectedRevision,
  };
}
