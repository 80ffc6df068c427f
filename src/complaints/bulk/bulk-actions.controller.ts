import { Body, Controller, HttpCode, Inject, Post, applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, Matches } from 'class-validator';
import { CLOCK, type Clock } from '../../core/clock';
import { IDEMPOTENCY_KEYS, type IdempotencyKeys } from '../../core/commands/idempotency-keys';
import { IdField } from '../../core/http/dto-fields';
import { ApiInteger, ApiProblems, ProblemDto } from '../../core/http/openapi-shapes';
import { readCommandHeaders } from '../../core/http/command-request';
import { toProblem, type Problem } from '../../core/http/problem-details';
import { Exchange, HttpExchange, type StreamCommandRequest } from '../../core/http/stream-commands';
import { ID_PATTERN } from '../../core/identifiers';
import { ApiActor } from '../../identity/public';
import { CASE_COMMANDS, CaseCommands } from '../case-commands';
import type { AssignCase } from '../commands/assign-case/assign-case.decide';
import type { TagCase } from '../commands/tag-case/tag-case.decide';
import { TAG_MESSAGE, TAG_PATTERN } from '../queries/list-cases/list-cases.dto';

/** At most this many cases in one bulk request: a desk's selection, not a migration. */
export const BULK_MAX_CASES = 100;

class BulkCasesDto {
  @ApiProperty({ type: [String], description: `The cases to act on, 1 to ${BULK_MAX_CASES}, each once`, example: ['case-1', 'case-2'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_CASES)
  @ArrayUnique({ message: '$property must name each case once' })
  @Matches(ID_PATTERN, { each: true, message: 'each of $property must be a case id' })
  caseIds!: string[];
}

export class BulkAssignDto extends BulkCasesDto {
  @IdField({ description: 'The agent who now owns every case', example: 'agent-42' })
  agentId!: string;

  @IdField({ description: 'The team, if any', optional: true, example: 'complaints-tier-1' })
  team?: string;
}

export class BulkTagDto extends BulkCasesDto {
  @ApiProperty({ description: 'The tag to add to every case', example: 'recall-2026' })
  @Matches(TAG_PATTERN, { message: TAG_MESSAGE })
  tag!: string;
}

/** What became of one case: its command's answer, or the problem that refused it. */
export type BulkCaseResult =
  { caseId: string; status: 200; revision: number; position: number } | { caseId: string; status: number; problem: Problem };

export interface BulkResult {
  succeeded: number;
  failed: number;
  /** In the order of `caseIds`. */
  results: BulkCaseResult[];
}

type BulkCaseSucceeded = Extract<BulkCaseResult, { status: 200 }>;
type BulkCaseFailed = Extract<BulkCaseResult, { problem: Problem }>;

export class BulkCaseSucceededDto implements BulkCaseSucceeded {
  @ApiProperty({ example: 'case-1' }) caseId!: string;
  @ApiInteger({ enum: [200], description: "The case's command was applied", example: 200 }) status!: 200;
  @ApiInteger({ minimum: 0, description: "The case stream's revision after the command", example: 3 }) revision!: number;
  @ApiInteger({ description: 'Global log position of the last event appended', example: 42 }) position!: number;
}

export class BulkCaseFailedDto implements BulkCaseFailed {
  @ApiProperty({ example: 'case-2' }) caseId!: string;
  @ApiInteger({ minimum: 400, maximum: 599, description: 'The status the single-case route would have answered', example: 409 })
  status!: number;
  @ApiProperty({ type: ProblemDto, description: "Why the case's command was refused, as the single-case route would say it" })
  problem!: ProblemDto;
}

export class BulkResultDto implements BulkResult {
  @ApiInteger({ minimum: 0, description: 'How many cases the command was applied to', example: 1 }) succeeded!: number;
  @ApiInteger({ minimum: 0, description: 'How many cases refused it', example: 1 }) failed!: number;
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(BulkCaseSucceededDto) }, { $ref: getSchemaPath(BulkCaseFailedDto) }] },
    description: 'One result per case, in the order of `caseIds`',
  })
  results!: Array<BulkCaseSucceededDto | BulkCaseFailedDto>;
}

const BULK_RESULT = {
  type: BulkResultDto,
  description: 'A result per case: its command applied (status 200, revision, position) or the problem that refused it',
} as const;

/** What every bulk route declares: a 200 with a result per case, the actor, and the Idempotency-Key that covers the whole request. */
function BulkEndpoint(operationId: string, summary: string, body: Type): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    ApiOperation({ operationId, summary }),
    ApiBody({ type: body }),
    ApiActor(),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes the whole request safe to retry' }),
    ApiOkResponse(BULK_RESULT),
    ApiProblems(
      [400, 'Malformed JSON or an invalid body (each field named in `errors`)'],
      [413, 'Body larger than the limit'],
      [415, 'Body is not application/json'],
      [422, 'Idempotency-Key already used for a different request'],
    ),
  );
}

/**
 * Bulk actions over a desk's selection. Each case gets its own command (the events, history and rules are exactly those of
 * the single-case route), decided one after the other; one case refused does not stop the others. With an Idempotency-Key
 * the request is idempotent as a whole: the key is bound to the whole request (another body with it is refused, 422), and
 * each case's command is keyed `<key>/<caseId>`, so a retry replays what was done and appends nothing twice.
 */
@ApiTags('case commands')
@ApiExtraModels(BulkCaseSucceededDto, BulkCaseFailedDto)
@Controller('cases/bulk')
export class BulkActionsController {
  constructor(
    @Inject(CASE_COMMANDS) private readonly cases: CaseCommands,
    @Inject(IDEMPOTENCY_KEYS) private readonly idempotencyKeys: IdempotencyKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('assign')
  @BulkEndpoint('bulkAssignCases', 'Assign many cases to an agent, each its own command, with a result per case', BulkAssignDto)
  assign(@Body() body: BulkAssignDto, @Exchange() http: HttpExchange): Promise<BulkResult> {
    return this.each<AssignCase>(http, body.caseIds, () => ({
      type: 'AssignCase',
      data: { agentId: body.agentId, ...(body.team !== undefined ? { team: body.team } : {}) },
    }));
  }

  @Post('tag')
  @BulkEndpoint('bulkTagCases', 'Tag many cases, each its own command, with a result per case', BulkTagDto)
  tag(@Body() body: BulkTagDto, @Exchange() http: HttpExchange): Promise<BulkResult> {
    return this.each<TagCase>(http, body.caseIds, () => ({ type: 'TagCase', data: { tag: body.tag } }));
  }

  private async each<Command extends AssignCase | TagCase>(
    http: HttpExchange,
    caseIds: readonly string[],
    build: StreamCommandRequest<Command>['build'],
  ): Promise<BulkResult> {
    const key = await this.bindKey(http);
    const results: BulkCaseResult[] = [];
    for (const caseId of caseIds) {
      try {
        const { revision, position } = await this.cases.handle<Command>(http, {
          id: caseId,
          ...(key !== undefined ? { idempotencyKey: `${key}/${caseId}` } : {}),
          build,
        });
        results.push({ caseId, status: 200, revision, position });
      } catch (error) {
        const problem = toProblem(error);
        if (problem.status === 500) throw error;
        results.push({ caseId, status: problem.status, problem: { ...problem, instance: `/cases/${caseId}` } });
      }
    }
    // Each command set the case's ETag; a bulk answer has none of its own.
    void http.reply.removeHeader('etag');
    const succeeded = results.filter((result) => result.status === 200).length;
    return { succeeded, failed: results.length - succeeded, results };
  }

  /**
   * Binds the Idempotency-Key, if any, to the whole bulk request (another body with it is refused with 422 before any case
   * is touched) and answers the key its cases' keys derive from: that of the binding's generation, so a key used again
   * after its retention keys new commands.
   */
  private async bindKey({ request }: HttpExchange): Promise<string | undefined> {
    const key = readCommandHeaders(request).idempotencyKey;
    if (key === undefined) return undefined;
    const route = request.routeOptions.url ?? request.url;
    const { commandId } = await this.idempotencyKeys.bind(key, { method: request.method, route, body: request.body }, this.clock.now());
    return commandId;
  }
}
