import type { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { CASE_COMMAND_CONTROLLERS } from '../../src/complaints/complaints.module';
import type { CaseCommands } from '../../src/complaints/case-commands';
import type { HttpExchange, StreamCommandRequest } from '../../src/core/http/stream-commands';
import type { ComplaintCommand } from '../../src/complaints/domain/complaint.decider';

/** The metadata key @nestjs/swagger stores ApiOperation options under (its constants are not exported). */
const API_OPERATION = 'swagger/apiOperation';

/** One command route on an existing case, as its controller declares it. */
export interface CaseCommandRoute {
  /** Below `/cases/:caseId/`, e.g. `goodwill/:offerId/approve`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly body: Type<object>;
  /** Runs the route's handler with a gateway that captures what the route hands it. */
  capture(params: { caseId: string; offerId?: string }, body: object): StreamCommandRequest<ComplaintCommand>;
}

function routeOf(controller: Type<object>): CaseCommandRoute {
  const prototype = controller.prototype as Record<string, unknown>;
  const method = Object.getOwnPropertyNames(prototype).find(
    (name) => name !== 'constructor' && Reflect.hasMetadata(PATH_METADATA, prototype[name] as object),
  )!;
  const handler = prototype[method] as object;
  const route: string = Reflect.getMetadata(PATH_METADATA, handler);
  const operation: { operationId: string; summary: string } = Reflect.getMetadata(API_OPERATION, handler);
  const body: Type<object> = Reflect.getMetadata('design:paramtypes', prototype, method)[1];
  return {
    path: route.replace(/^:caseId\/?/, ''),
    operationId: operation.operationId,
    summary: operation.summary,
    body,
    capture(params, dto) {
      let captured: StreamCommandRequest<ComplaintCommand> | undefined;
      const gateway = {
        handle: (_: HttpExchange, request: StreamCommandRequest<ComplaintCommand>) => {
          captured = request;
        },
      } as unknown as CaseCommands;
      const instance = new (controller as unknown as new (cases: CaseCommands) => Record<string, (...args: unknown[]) => unknown>)(gateway);
      instance[method](params, dto, {});
      return captured!;
    },
  };
}

/** `POST /cases` first, then every route on an existing case, in lifecycle order. */
export const [RECEIVE_COMPLAINT_ROUTE, ...CASE_COMMAND_ROUTES] = CASE_COMMAND_CONTROLLERS.map(routeOf);
