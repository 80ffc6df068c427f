import { applyDecorators, Controller, HttpCode, Type } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { StreamKind } from '../core/commands/stream-kind';
import { ID_PATTERN } from '../core/identifiers';
import { ApiCommandEndpoint, ApiInteger, type CommandEndpointOptions } from '../core/http/openapi-shapes';
import type { StreamCommands } from '../core/http/stream-commands';
import { ApiActor } from '../identity/public';
import type { ComplaintPolicy } from './domain/complaint-policy';
import { complaintDecider, complaintStreamName, type ComplaintCommand } from './domain/complaint.decider';
import type { ComplaintEvent } from './domain/complaint.events';
import { COMPLAINT_UPCASTERS } from './domain/complaint.upcasters';
import type { ComplaintState } from './domain/complaint.state';

/** The complaint-case stream kind: `complaint-<caseId>`, ruled by the complaint decider under the firm's policy. */
export type ComplaintStream = StreamKind<ComplaintCommand, ComplaintEvent, ComplaintState>;
export const COMPLAINT_STREAM = Symbol('ComplaintStream');
/** The policy the service runs with, built from its configuration once (the complaints module provides it). */
export const COMPLAINT_POLICY = Symbol('ComplaintPolicy');

export function complaintStream(policy: ComplaintPolicy): ComplaintStream {
  return {
    idName: 'caseId',
    entity: 'case',
    streamName: complaintStreamName,
    decider: complaintDecider(policy),
    events: COMPLAINT_UPCASTERS,
    location: (caseId) => `/cases/${encodeURIComponent(caseId)}`,
  };
}

/** The command gateway every case route hands its command to. */
export const CASE_COMMANDS = Symbol('CaseCommands');
export type CaseCommands = StreamCommands<ComplaintCommand, ComplaintEvent, ComplaintState>;

const idMessage = '$property may hold only letters, digits and - _ . : (1 to 128 characters)';

/** Path parameters of the case routes. */
export class CaseIdParams {
  @ApiProperty({ description: 'The case id returned by POST /cases', example: '0b8a5f0e-7c4e-5d0b-9a43-1f2e3d4c5b6a' })
  @Matches(ID_PATTERN, { message: idMessage })
  caseId!: string;
}

/** Path parameters of the routes on one goodwill offer of a case. */
export class OfferIdParams extends CaseIdParams {
  @ApiProperty({ description: 'The offer id returned by POST /cases/{caseId}/goodwill', example: 'offer-2026-0001' })
  @Matches(ID_PATTERN, { message: idMessage })
  offerId!: string;
}

/** The answer to a case command; commands that create something inside the case extend it with that thing's id. */
export class CaseCommandResponseDto {
  @ApiProperty({ description: 'The case the command applied to', example: '0b8a5f0e-7c4e-5d0b-9a43-1f2e3d4c5b6a' }) caseId!: string;
  @ApiInteger({ description: "The case stream's revision after the command; also the ETag", minimum: 0, example: 3 }) revision!: number;
  @ApiInteger({ description: 'Global log position of the last event appended; pass it as minPosition to read your write', example: 42 })
  position!: number;
}

/** A controller of case commands: `/cases`, grouped in the API document. */
export function CaseCommandsController() {
  return applyDecorators(ApiTags('case commands'), Controller('cases'));
}

export interface CaseCommandEndpointOptions {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** The body's DTO, documented as optional: a command whose fields are all optional may be posted bare. */
  readonly body: Type<object>;
  /** The route names one goodwill offer of the case (`:offerId`). */
  readonly onOffer?: boolean;
  /** The success body, when the command creates something in the case (its id is added to the answer). */
  readonly response?: Type<CaseCommandResponseDto>;
  /** What the body's problems mean when the body is not JSON (the upload). */
  readonly bodyProblems?: CommandEndpointOptions['bodyProblems'];
}

/** Everything a command on an existing case declares beside its route: status, documentation, parameters and problems. */
export function CaseCommandEndpoint({
  operationId,
  summary,
  description,
  body,
  onOffer,
  response,
  bodyProblems,
}: CaseCommandEndpointOptions) {
  return applyDecorators(
    HttpCode(200),
    ApiOperation({ operationId, summary, description }),
    ApiParam({ name: 'caseId', description: 'The case id returned by POST /cases' }),
    ...(onOffer ? [ApiParam({ name: 'offerId', description: 'The offer id returned by POST /cases/{caseId}/goodwill' })] : []),
    ApiBody({ type: body, required: false }),
    ApiActor(),
    ApiCommandEndpoint(200, {
      type: response ?? CaseCommandResponseDto,
      notFound: onOffer ? 'No such case or goodwill offer' : 'No such case',
      ...(bodyProblems ? { bodyProblems } : {}),
    }),
  );
}
