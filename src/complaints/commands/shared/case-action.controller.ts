import { Controller, HttpCode, Inject, Param, Post, Req, Res, Type } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCommandEndpoint } from '../../../core/http/openapi-shapes';
import { CaseAction } from './case-action';
import { CaseCommandGateway, CaseCommandResponse } from './case-command.gateway';
import { CommandBody } from './command-body.decorator';
import { CaseIdParams } from './case-id.params';

/**
 * Builds the controller of one case action. Decorators are applied by hand because the route,
 * body type and documentation come from the action's declaration rather than from source text.
 */
export function caseActionController(action: CaseAction): Type {
  @ApiTags('case commands')
  @Controller('cases')
  class CaseActionController {
    constructor(@Inject(CaseCommandGateway) private readonly gateway: CaseCommandGateway) {}

    handle(params: CaseIdParams & { offerId?: string }, body: object, request: FastifyRequest, reply: FastifyReply): Promise<CaseCommandResponse> {
      return this.gateway.execute(request, reply, {
        caseId: params.caseId,
        build: ({ caseId, newId }) => action.toCommand({ caseId, offerId: params.offerId, body, newId }),
        respondWith: action.respondWith,
      });
    }
  }

  const prototype = CaseActionController.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'handle')!;
  const hasOfferId = action.path.includes(':offerId');
  const methodDecorators: MethodDecorator[] = [
    Post(`:caseId/${action.path}`),
    HttpCode(200),
    ApiOperation({ operationId: action.operationId, summary: action.summary, description: action.description }),
    ApiParam({ name: 'caseId', description: 'The case id returned by POST /cases' }),
    ...(hasOfferId ? [ApiParam({ name: 'offerId', description: 'The offer id returned by POST /cases/:caseId/goodwill' })] : []),
    ApiBody({ type: action.body, required: false }),
    ApiCommandEndpoint(200),
  ];
  for (const decorate of methodDecorators) decorate(prototype, 'handle', descriptor);
  Reflect.defineMetadata('design:paramtypes', [CaseIdParams, action.body, Object, Object], prototype, 'handle');
  Param()(prototype, 'handle', 0);
  CommandBody()(prototype, 'handle', 1);
  Req()(prototype, 'handle', 2);
  Res({ passthrough: true })(prototype, 'handle', 3);
  Object.defineProperty(CaseActionController, 'name', { value: `${action.operationId}Controller` });
  return CaseActionController;
}
