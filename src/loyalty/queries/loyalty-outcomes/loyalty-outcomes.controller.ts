import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiOkContent, ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { CUSTOMER_VULNERABILITY_PROJECTION } from '../../../customers/public';
import { LOYALTY_PROJECTION } from '../../projection/loyalty-facts.projection';
import { toCsv, wantsCsv } from '../shared/csv';
import { LOYALTY_COLUMNS } from './loyalty-outcomes.compute';
import { LoyaltyOutcomesDto } from '../shared/analytics.dto';
import { LoyaltyOutcomesQueryDto } from './loyalty-outcomes.dto';
import { LoyaltyOutcomes, LoyaltyOutcomesQuery } from './loyalty-outcomes.query';

@ApiTags('analytics')
@Controller('analytics')
export class LoyaltyOutcomesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('loyalty-outcomes')
  @ApiOperation({
    operationId: 'loyaltyOutcomes',
    summary:
      'Does handling complaints well keep customers? Cohorts × spend, retention, referrals and repeat complaints in a window after a period',
    description:
      'Every customer active in [from, to) (a purchase or a complaint received) is classified by the complaints they made in it: ' +
      'no complaint; recovered (every complaint resolved and the customer satisfied at follow-up); not recovered (any complaint resolved ' +
      'without satisfaction, or closed without a satisfied follow-up); open (otherwise). Withdrawn complaints do not count. Per cohort: ' +
      'customers, total, mean and median spend in the window (minor units; customers who bought nothing count as 0), retention (bought ' +
      'again in the window), referrals, repeat complaints and complainants, churn recorded, and the lift of mean spend and retention ' +
      'against "no complaint" and "not recovered" (0.06 = 6% more). `Accept: text/csv` returns the rows as CSV.',
  })
  @ApiOkContent({
    json: LoyaltyOutcomesDto,
    text: { 'text/csv': 'The rows, one per line under a header of their columns (with `group` first when grouped)' },
    description: 'The loyalty-outcome table; as CSV with `Accept: text/csv`',
    headers: { Vary: { description: 'Accept: the media type depends on it', schema: { type: 'string', example: 'Accept' } } },
  })
  @ApiReadYourWrites()
  @ApiProblems([400, 'An invalid or missing parameter (each named in `errors`)'])
  async get(
    @Query() params: LoyaltyOutcomesQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoyaltyOutcomes | string> {
    const minPosition = readMinPosition(request);
    await this.projections.ensureReached(LOYALTY_PROJECTION, minPosition);
    if (params.groupBy === 'vulnerability') await this.projections.ensureReached(CUSTOMER_VULNERABILITY_PROJECTION, minPosition);
    const report: LoyaltyOutcomes = await this.queryBus.execute(new LoyaltyOutcomesQuery(params));
    void reply.header('vary', 'Accept');
    if (!wantsCsv(request.headers.accept)) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return toCsv(report.groupBy ? ['group', ...LOYALTY_COLUMNS] : LOYALTY_COLUMNS, report.rows);
  }
}
