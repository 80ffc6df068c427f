import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { HTTP_ACTOR_ROLES } from '../../../core/http/command-request';
import { ApiProblems } from '../../../core/http/openapi-shapes';
import { CustomerCommandResponseDto } from './customer-command-response.dto';

/** What a customer command endpoint documents beyond its body: headers, the success shape and the problems. */
export function ApiCustomerCommandEndpoint(successStatus: 200 | 201, idempotency: string) {
  return applyDecorators(
    ApiHeader({ name: 'X-Actor-Id', required: false, description: 'Who records it (until authentication exists). Default: anonymous' }),
    ApiHeader({ name: 'X-Actor-Role', required: false, enum: [...HTTP_ACTOR_ROLES], description: 'Default: agent' }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: idempotency }),
    ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the customer-stream revision the client saw: the command applies only at that revision' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded on every event; generated when absent' }),
    ApiResponse({
      status: successStatus,
      type: CustomerCommandResponseDto,
      headers: { ETag: { description: 'The new revision of the customer stream, quoted', schema: { type: 'string', example: '"4"' } } },
    }),
    ApiProblems(
      [400, 'Malformed JSON, an invalid body or an invalid header (each field and reason in `errors`)'],
      [409, 'Stale If-Match, or a rule refuses the command (the rule in `rule` and `detail`)'],
      [413, 'Body larger than the limit'],
      [415, 'Body is not application/json'],
      [422, 'Idempotency-Key already used for a different command'],
    ),
  );
}
