import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The request body, or `{}` when the client sent none (no body at all): actions whose fields are all optional
 * (withdraw, close) may be posted bare. The global ValidationPipe validates it like `@Body()`.
 */
export const CommandBody = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const { body } = context.switchToHttp().getRequest<FastifyRequest>();
  return body === undefined ? {} : body;
});
