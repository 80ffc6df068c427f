import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientHasCurrent, revisionTag } from '../../../core/http/conditional';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { CaseIdParams } from '../../case-commands';
import { CUSTOMER_VULNERABILITY_PROJECTION } from '../../../customers/public';
import type { CaseView } from '../../projections/case-view/case-view';
import { CaseViewDto } from '../shared/case-view.dto';
import { caseViewProjection } from '../../projections/case-view/case-view.projection';
import { GetCaseQuery } from './get-case.query';

const CASE_ETAG = {
  description: "The case's revision, quoted: send it as If-Match or If-None-Match",
  schema: { type: 'string', example: '"3"' },
};

@ApiTags('cases')
@Controller('cases')
export class GetCaseController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get(':caseId')
  @ApiOperation({
    operationId: 'getCase',
    summary: 'The case view: status, people, assessment, goodwill, fixes, resolution, follow-up, deadlines',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of the view the client holds: 304 without a body while the case is still at that revision',
    schema: { type: 'string', example: '"3"' },
  })
  @ApiOkResponse({ type: CaseViewDto, description: 'The case view', headers: { ETag: CASE_ETAG } })
  @ApiNotModifiedResponse({ description: 'The case is still at the revision named by If-None-Match', headers: { ETag: CASE_ETAG } })
  @ApiReadYourWrites()
  @ApiProblems([404, 'No such case'])
  async get(
    @Param() { caseId }: CaseIdParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseView | undefined> {
    const minPosition = readMinPosition(request);
    await this.projections.ensureReached(caseViewProjection.name, minPosition);
    await this.projections.ensureReached(CUSTOMER_VULNERABILITY_PROJECTION, minPosition);
    const view = await this.queryBus.execute(new GetCaseQuery(caseId));
    const etag = revisionTag(view.revision);
    void reply.header('etag', etag);
    if (!clientHasCurrent(request, etag)) return view;
    void reply.status(304);
    return undefined;
  }
}
