import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCurrencyCode } from '../../../complaints/commands/shared/dto-fields';
import { BoundaryParam, DaysParam, MIN_POSITION_PARAM } from '../shared/analytics-params';
import { LOYALTY_GROUP_BY, LoyaltyGroupBy } from './loyalty-outcomes.compute';

/** Query string of GET /analytics/loyalty-outcomes; unknown parameters are refused. */
export class LoyaltyOutcomesQueryDto {
  @BoundaryParam('Start of the cohort period (inclusive): a UTC date or an instant', { required: true, example: '2026-01-01' })
  from!: string;

  @BoundaryParam('End of the cohort period: a UTC date (that whole day included) or an instant (excluded)', { required: true, example: '2026-03-31' })
  to!: string;

  @DaysParam('Length of the window after the period in which spend, retention, referrals and repeat complaints are measured', { min: 1, max: 3650, default: 90 })
  windowDays?: number;

  @ApiPropertyOptional({ enum: LOYALTY_GROUP_BY, description: 'Break the cohorts down by a fact of the complaint that decided them' })
  @IsOptional()
  @IsIn(LOYALTY_GROUP_BY, { message: `$property must be one of: ${LOYALTY_GROUP_BY.join(', ')}` })
  groupBy?: LoyaltyGroupBy;

  @ApiPropertyOptional({ description: 'Currency of the spend figures; needed only when purchases in the period and window are in several', example: 'GBP' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @MIN_POSITION_PARAM()
  minPosition?: string;
}
