import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCurrencyCode } from '../../../core/http/dto-fields';
import { BoundaryParam, DaysParam, MIN_POSITION_PARAM } from '../shared/analytics-params';
import { DEFAULT_RESAMPLES, DEFAULT_SEED, MAX_RESAMPLES } from '../shared/intervals';
import { LOYALTY_GROUP_BY, LoyaltyGroupBy } from './loyalty-outcomes.compute';

/** A whole number in a query string. */
const WholeNumber = () => Transform(({ value }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value));

/** Query string of GET /analytics/loyalty-outcomes; unknown parameters are refused. */
export class LoyaltyOutcomesQueryDto {
  @BoundaryParam('Start of the cohort period (inclusive): a UTC date or an instant', { required: true, example: '2026-01-01' })
  from!: string;

  @BoundaryParam('End of the cohort period: a UTC date (that whole day included) or an instant (excluded)', {
    required: true,
    example: '2026-03-31',
  })
  to!: string;

  @DaysParam('Length of the window after the period in which spend, retention, referrals and repeat complaints are measured', {
    min: 1,
    max: 3650,
    default: 90,
  })
  windowDays?: number;

  @ApiPropertyOptional({ enum: LOYALTY_GROUP_BY, description: 'Break the cohorts down by a fact of the complaint that decided them' })
  @IsOptional()
  @IsIn(LOYALTY_GROUP_BY, { message: `$property must be one of: ${LOYALTY_GROUP_BY.join(', ')}` })
  groupBy?: LoyaltyGroupBy;

  @ApiPropertyOptional({
    description: 'Currency of the spend figures; needed only when purchases in the period and window are in several',
    example: 'GBP',
  })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({
    description: 'Bootstrap resamples drawn for the 95% intervals',
    minimum: 100,
    maximum: MAX_RESAMPLES,
    default: DEFAULT_RESAMPLES,
    type: 'integer',
  })
  @IsOptional()
  @WholeNumber()
  @IsInt({ message: '$property must be a whole number' })
  @Min(100)
  @Max(MAX_RESAMPLES)
  resamples?: number;

  @ApiPropertyOptional({
    description: "Seed of the bootstrap's pseudo-random draws: the same seed gives the same intervals",
    minimum: 0,
    maximum: 4_294_967_295,
    default: DEFAULT_SEED,
    type: 'integer',
  })
  @IsOptional()
  @WholeNumber()
  @IsInt({ message: '$property must be a whole number' })
  @Min(0)
  @Max(4_294_967_295)
  seed?: number;

  @ApiPropertyOptional({
    description: 'Smallest cohort (or group) given an interval; smaller ones are flagged `tooSmall`. Default: ANALYTICS_MIN_COHORT (30)',
    minimum: 1,
    maximum: 1_000_000,
    type: 'integer',
  })
  @IsOptional()
  @WholeNumber()
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  minCohort?: number;

  @MIN_POSITION_PARAM()
  minPosition?: string;
}
