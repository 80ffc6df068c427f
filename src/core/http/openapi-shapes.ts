import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiProperty, ApiPropertyOptional, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

/** OpenAPI descriptions of the shapes every command endpoint shares. */
export class FieldErrorDto {
  @ApiProperty({ example: 'orderValue.amount' }) field!: string;
  @ApiProperty({ example: 'must be an integer number' }) message!: string;
}

export class ProblemDto {
  @ApiProperty({ example: '/problems/validation' }) type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'orderValue.amount: must be an integer number' }) detail!: string;
  @ApiPropertyOptional({ example: '/cases' }) instance?: string;
  @ApiPropertyOptional({ description: 'The domain rule that refused the command (409)', example: 'follow-up-needs-resolution' })
  rule?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

const problem = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
  });

export function ApiProblems(...statuses: Array<[number, string]>) {
  return applyDecorators(
    ApiExtraModels(ProblemDto, FieldErrorDto),
    ...statuses.map(([status, description]) => problem(status, description)),
  );
}

export interface CommandEndpointOptions {
  /** The success body: the stream's id, revision and position. */
  readonly type: Type<unknown>;
  readonly idempotency?: string;
  /** What a 404 means on this endpoint; omit when it cannot happen. */
  readonly notFound?: string;
}

/** Everything a command endpoint documents beyond its body: headers, the success shape and the problems. */
export function ApiCommandEndpoint(successStatus: 200 | 201, options: CommandEndpointOptions) {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: options.idempotency ?? 'Retrying with the same key returns the first answer and appends nothing',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'ETag of the stream revision the client saw, e.g. "3": the command applies only at that revision',
    }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded on every event; generated when absent' }),
    ApiResponse({
      status: successStatus,
      type: options.type,
      headers: { ETag: { description: 'The new revision, quoted', schema: { type: 'string', example: '"4"' } } },
    }),
    ApiProblems(
      [400, 'Malformed JSON, an invalid body or an invalid header (each field and reason in `errors`)'],
      ...(options.notFound ? [[404, options.notFound] as [number, string]] : []),
      [409, 'Stale If-Match, or a rule refuses the command (the rule in `rule` and `detail`)'],
      [413, 'Body larger than the limit'],
      [415, 'Body is not application/json'],
      [422, 'Idempotency-Key already used for a different command'],
    ),
  );
}

/** Queries that honour read-your-writes: `minPosition` or `X-Min-Position`, and the 503 when the wait runs out. */
export function ApiReadYourWrites() {
  return applyDecorators(
    ApiQuery({
      name: 'minPosition',
      required: false,
      type: Number,
      description: "Wait (bounded) until the read model reflects this global position, e.g. a command response's `position`",
    }),
    ApiHeader({ name: 'X-Min-Position', required: false, description: 'Same as minPosition' }),
    ApiProblems([503, 'The read model did not reach minPosition in time: retry after Retry-After seconds']),
  );
}
