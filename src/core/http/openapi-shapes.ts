import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  type ApiPropertyOptions,
  getSchemaPath,
  type OpenAPIObject,
} from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

/** OpenAPI descriptions of the shapes every endpoint shares. */

/** A whole number in the document (`type: integer`), never a bare `number`. */
export function ApiInteger(options: ApiPropertyOptions = {}) {
  return ApiProperty({ type: 'integer', ...options });
}
export function ApiIntegerOptional(options: ApiPropertyOptions = {}) {
  return ApiPropertyOptional({ type: 'integer', ...options });
}
/** A value that is present but may be null. */
export function ApiNullable(options: ApiPropertyOptions = {}) {
  return ApiProperty({ nullable: true, ...options });
}

export class FieldErrorDto {
  @ApiProperty({ example: 'orderValue.amount' }) field!: string;
  @ApiProperty({ example: 'must be an integer number' }) message!: string;
}

export class ProblemDto {
  @ApiProperty({
    format: 'uri',
    description: 'Identifies the problem; dereference it for a page describing the problem (and the rule, for a 409)',
    example: 'http://localhost:3000/problems/validation',
  })
  type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiInteger({ example: 400, minimum: 400, maximum: 599 }) status!: number;
  @ApiProperty({ example: 'orderValue.amount: must be an integer number' }) detail!: string;
  @ApiPropertyOptional({ description: 'The request path the problem occurred on', example: '/cases' }) instance?: string;
  @ApiPropertyOptional({ description: 'The domain rule that refused the command (409)', example: 'follow-up-needs-resolution' })
  rule?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Every invalid field and why (400)' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: 'The stream whose hash chain is broken (503 broken-chain)', example: 'complaint-case-1' })
  stream?: string;
  @ApiIntegerOptional({ description: 'The first revision at which that chain breaks (503 broken-chain)', example: 2 }) revision?: number;
}

export const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 1 } },
} as const;

type ProblemStatus = [number, string];

const problem = ([status, description]: ProblemStatus) =>
  ApiResponse({
    status,
    description,
    ...(status === 503 ? { headers: RETRY_AFTER_HEADER } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
  });

/** The problems an operation may answer, as application/problem+json (a 503 with its Retry-After). */
export function ApiProblems(...statuses: ProblemStatus[]) {
  return applyDecorators(ApiExtraModels(ProblemDto, FieldErrorDto), ...statuses.map(problem));
}

export interface CommandEndpointOptions {
  /** The success body: the stream's id, revision and position, and whatever the command created. */
  readonly type: Type<unknown>;
  readonly idempotency?: string;
  /** What a 404 means on this endpoint; omit when it cannot happen. */
  readonly notFound?: string;
  /** The success answer names the resource it created (201): its Location. */
  readonly location?: string;
  /** What the body's problems mean on an endpoint whose body is not JSON (an upload), in place of the JSON ones. */
  readonly bodyProblems?: Readonly<Partial<Record<400 | 408 | 413 | 415, string>>>;
}

const IDEMPOTENT_RETRY =
  'Retrying with the same key and the same request returns the first answer (with `Idempotent-Replayed: true`) and appends nothing.';
const IDEMPOTENCY_KEY_BINDING =
  'The same key with another request (method, route, stream or body) is refused with 422; keys are kept for IDEMPOTENCY_RETENTION_HOURS (24 by default).';

/** Headers of every command's success answer. */
export function commandSuccessHeaders(location?: string) {
  return {
    ETag: { description: 'The new revision of the stream, quoted: send it as If-Match', schema: { type: 'string', example: '"4"' } },
    ...(location
      ? {
          Location: {
            description: location,
            schema: { type: 'string', format: 'uri-reference', example: '/cases/0b8a5f0e-7c4e-5d0b-9a43-1f2e3d4c5b6a' },
          },
        }
      : {}),
    'Idempotency-Key': { description: 'The Idempotency-Key of the request, echoed', schema: { type: 'string' } },
    'Idempotent-Replayed': {
      description: '`true` when this is the answer to an earlier request with the same Idempotency-Key (nothing was appended)',
      schema: { type: 'string', enum: ['true'] },
    },
  };
}

/** Everything a command endpoint documents beyond its body: headers, the success shape and the problems. */
export function ApiCommandEndpoint(successStatus: 200 | 201, options: CommandEndpointOptions) {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: `${options.idempotency ?? IDEMPOTENT_RETRY} ${IDEMPOTENCY_KEY_BINDING}`,
      schema: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        pattern: '^[\\x21-\\x7e]+$',
        example: '6f1c0e9a-3b1d-4a8e-9d55-2f0e6a7c1b42',
      },
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'ETag of the stream revision the client saw, e.g. "3": the command applies only at that revision (else 409 stale-revision)',
      schema: { type: 'string', example: '"3"' },
    }),
    ApiResponse({ status: successStatus, type: options.type, headers: commandSuccessHeaders(options.location) }),
    ApiProblems(
      [400, options.bodyProblems?.[400] ?? 'Malformed JSON, an invalid body or an invalid header (each field and reason in `errors`)'],
      ...(options.notFound ? [[404, options.notFound] as ProblemStatus] : []),
      ...(options.bodyProblems?.[408] ? [[408, options.bodyProblems[408]] as ProblemStatus] : []),
      [409, 'Stale If-Match, or a rule refuses the command (the rule in `rule` and `detail`)'],
      [413, options.bodyProblems?.[413] ?? 'Body larger than the limit'],
      [415, options.bodyProblems?.[415] ?? 'Body is not application/json'],
      [422, 'Idempotency-Key already used for a different request'],
      [503, "The stream's hash chain is broken (broken-chain): nothing is appended to it until it is repaired"],
    ),
  );
}

const CORRELATION_ID = 'X-Correlation-Id';

/**
 * The correlation id on every operation of the document: a client may send one (recorded on every event a
 * command appends, and in the logs), and every answer carries it, the client's or the one generated.
 */
export function declareCorrelationId(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  (components.headers ??= {})[CORRELATION_ID] = {
    description: "The request's X-Correlation-Id, or the one generated for it: quote it when reporting a problem",
    schema: { type: 'string' },
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as unknown[]) {
      if (!isOperation(operation)) continue;
      const parameters = (operation.parameters ??= []);
      if (!parameters.some((parameter) => 'name' in parameter && parameter.name === CORRELATION_ID)) {
        parameters.push({
          name: CORRELATION_ID,
          in: 'header',
          required: false,
          description: 'Ties the request to the events it records and to the logs; generated when absent, echoed on the answer',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        });
      }
      for (const response of Object.values(operation.responses ?? {})) {
        if (!response || '$ref' in response) continue;
        (response.headers ??= {})[CORRELATION_ID] = { $ref: `#/components/headers/${CORRELATION_ID}` };
      }
    }
  }
  return document;
}

function isOperation(value: unknown): value is OperationObject {
  return typeof value === 'object' && value !== null && 'responses' in value;
}

/** A global log position as a query parameter or header: a whole number of at most 15 digits. */
const POSITION_SCHEMA = { type: 'integer', minimum: 0, maximum: 999_999_999_999_999, example: 42 } as const;

/** Queries that honour read-your-writes: `minPosition` or `X-Min-Position`, and the 503 when the wait runs out. */
export function ApiReadYourWrites() {
  return applyDecorators(
    ApiQuery({
      name: 'minPosition',
      required: false,
      schema: POSITION_SCHEMA,
      description: "Wait (bounded) until the read model reflects this global position, e.g. a command response's `position`",
    }),
    ApiHeader({
      name: 'X-Min-Position',
      required: false,
      description: 'Same as minPosition',
      schema: POSITION_SCHEMA,
    }),
    ApiProblems([503, 'The read model did not reach minPosition in time (read-model-behind): retry after Retry-After seconds']),
  );
}

export interface OkContentOptions {
  /** The JSON body's DTO. */
  readonly json?: Type<unknown>;
  /** Other media types the operation serves, each a text body described in words (CSV, NDJSON, SSE, HTML). */
  readonly text?: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

/** A 200 answer in every media type the operation really serves (chosen by Accept or a query parameter). */
export function ApiOkContent({ json, text = {}, description = 'OK', headers }: OkContentOptions) {
  const content: Record<string, { schema: Record<string, unknown> }> = {};
  if (json) content['application/json'] = { schema: { $ref: getSchemaPath(json) } };
  for (const [type, what] of Object.entries(text)) content[type] = { schema: { type: 'string', description: what } };
  return applyDecorators(
    ...(json ? [ApiExtraModels(json)] : []),
    ApiResponse({ status: 200, description, content, ...(headers ? { headers } : {}) }),
  );
}
