import type { Type } from '@nestjs/common';
import type { ComplaintCommand } from '../../domain/complaint.commands';

/** A complaint command as a use case states it: the actor and the instant are added by the command path. */
export type UnissuedCommand = ComplaintCommand extends infer C ? (C extends ComplaintCommand ? Omit<C, 'by' | 'at'> : never) : never;

export interface CaseActionInput<Body> {
  readonly caseId: string;
  /** The `:offerId` path parameter, on routes that have one. */
  readonly offerId?: string;
  readonly body: Body;
  /** An id that is the same whenever this request is retried with the same Idempotency-Key. */
  newId(kind: string): string;
}

/**
 * One HTTP use case on an existing case: `POST /cases/:caseId/<path>`. Each use-case folder
 * declares one of these beside its DTO; the generic controller and command path do the rest.
 */
export interface CaseAction<Body extends object = object> {
  /** Route below `/cases/:caseId/`, e.g. `acknowledge` or `goodwill/:offerId/approve`. */
  readonly path: string;
  /** Stable OpenAPI operationId, e.g. `acknowledgeComplaint`. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly body: Type<Body>;
  toCommand(input: CaseActionInput<Body>): UnissuedCommand;
  /** Fields added to the `{caseId, revision, position}` response, taken from the command. */
  respondWith?(command: UnissuedCommand): Record<string, string | undefined>;
}

export function caseAction<Body extends object>(action: CaseAction<Body>): CaseAction<Body> {
  return action;
}
