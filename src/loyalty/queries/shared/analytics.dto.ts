import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEADLINE_KINDS, type DeadlineKind } from '../../../complaints/public';
import { ApiInteger, ApiNullable } from '../../../core/http/openapi-shapes';
import { CLOSURE_BUCKETS, type ClosureBucket } from '../../projection/case-facts';
import type { DeadlineCounts, DeadlinesReport, RegimeReport, SummaryResolutionCounts } from '../deadlines/deadlines.query';
import { COHORTS, LOYALTY_GROUP_BY, type Cohort, type LoyaltyGroupBy, type LoyaltyRow } from '../loyalty-outcomes/loyalty-outcomes.compute';
import type { LoyaltyOutcomes } from '../loyalty-outcomes/loyalty-outcomes.query';
import type { ComplaintWindow, FixImpact, SystemicIssues } from '../systemic-issues/systemic-issues.query';

/**
 * The analytics reports as the API document describes them; each class implements the report's own
 * type, so the compiler refuses a document that leaves out or mistypes a field.
 */

const INSTANT = { format: 'date-time', example: '2026-01-01T00:00:00.000Z' } as const;
const RATIO = { type: 'number', description: 'A share or a lift, 4 decimals; null when undefined' } as const;

class OpenPeriodDto {
  @ApiNullable({ type: String, ...INSTANT, description: 'Inclusive; null: from the beginning' }) from!: string | null;
  @ApiNullable({ type: String, ...INSTANT, description: 'Exclusive; null: no end' }) to!: string | null;
}

class PeriodDto {
  @ApiProperty({ ...INSTANT, description: 'Inclusive' }) from!: string;
  @ApiProperty({ ...INSTANT, description: 'Exclusive' }) to!: string;
}

class LoyaltyWindowDto extends PeriodDto {
  @ApiInteger({ minimum: 1, example: 90 }) days!: number;
  @ApiProperty({ description: 'False while the window reaches past now: its figures will still grow' }) complete!: boolean;
}

class ExcludedDto {
  @ApiInteger({ minimum: 0, description: 'Active customers whose every complaint of the period was withdrawn' }) withdrawnOnly!: number;
}

class IntervalsDto {
  @ApiProperty({ enum: ['percentile-bootstrap'] }) method!: 'percentile-bootstrap';
  @ApiProperty({ type: 'number', example: 0.95 }) level!: number;
  @ApiInteger({ example: 2000 }) resamples!: number;
  @ApiInteger({ example: 1 }) seed!: number;
  @ApiInteger({ example: 30 }) minCohort!: number;
}

/** Nullable decimals of a loyalty row: means, shares, lifts and their interval bounds. */
const LOYALTY_DECIMALS = [
  'meanSpend',
  'medianSpend',
  'retention',
  'meanSpendLiftVsNoComplaint',
  'meanSpendLiftVsNotRecovered',
  'retentionLiftVsNoComplaint',
  'retentionLiftVsNotRecovered',
  'meanSpendLow',
  'meanSpendHigh',
  'retentionLow',
  'retentionHigh',
  'meanSpendLiftVsNoComplaintLow',
  'meanSpendLiftVsNoComplaintHigh',
  'meanSpendLiftVsNotRecoveredLow',
  'meanSpendLiftVsNotRecoveredHigh',
  'retentionLiftVsNoComplaintLow',
  'retentionLiftVsNoComplaintHigh',
  'retentionLiftVsNotRecoveredLow',
  'retentionLiftVsNotRecoveredHigh',
] as const satisfies ReadonlyArray<keyof LoyaltyRow>;

/** One cohort (of one group, when grouped): what its customers did in the window. */
export class LoyaltyRowDto implements LoyaltyRow {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'When grouped: the value of the deciding case (null: no complaint)' })
  group?: string | null;
  @ApiProperty({ enum: COHORTS }) cohort!: Cohort;
  @ApiInteger({ minimum: 0 }) customers!: number;
  @ApiInteger({ description: 'Minor units' }) totalSpend!: number;
  @ApiInteger({ minimum: 0, description: 'Bought again in the window' }) retained!: number;
  @ApiInteger({ minimum: 0 }) referrals!: number;
  @ApiInteger({ minimum: 0 }) repeatComplaints!: number;
  @ApiInteger({ minimum: 0 }) repeatComplainants!: number;
  @ApiInteger({ minimum: 0 }) churned!: number;
  @ApiProperty({ description: 'Fewer customers than minCohort: no intervals' }) tooSmall!: boolean;
  meanSpend!: number | null;
  medianSpend!: number | null;
  retention!: number | null;
  meanSpendLiftVsNoComplaint!: number | null;
  meanSpendLiftVsNotRecovered!: number | null;
  retentionLiftVsNoComplaint!: number | null;
  retentionLiftVsNotRecovered!: number | null;
  meanSpendLow!: number | null;
  meanSpendHigh!: number | null;
  retentionLow!: number | null;
  retentionHigh!: number | null;
  meanSpendLiftVsNoComplaintLow!: number | null;
  meanSpendLiftVsNoComplaintHigh!: number | null;
  meanSpendLiftVsNotRecoveredLow!: number | null;
  meanSpendLiftVsNotRecoveredHigh!: number | null;
  retentionLiftVsNoComplaintLow!: number | null;
  retentionLiftVsNoComplaintHigh!: number | null;
  retentionLiftVsNotRecoveredLow!: number | null;
  retentionLiftVsNotRecoveredHigh!: number | null;
}
// Nineteen fields of one shape: described once rather than decorated one by one.
for (const field of LOYALTY_DECIMALS) ApiNullable(RATIO)(LoyaltyRowDto.prototype, field);

/** GET /analytics/loyalty-outcomes (JSON). */
export class LoyaltyOutcomesDto implements LoyaltyOutcomes {
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ type: LoyaltyWindowDto }) window!: LoyaltyWindowDto;
  @ApiNullable({ type: String, example: 'GBP', description: 'The currency of every spend figure; null when nobody bought anything' })
  currency!: string | null;
  @ApiNullable({ type: String, enum: LOYALTY_GROUP_BY }) groupBy!: LoyaltyGroupBy | null;
  @ApiInteger({ minimum: 0 }) customers!: number;
  @ApiProperty({ type: ExcludedDto }) excluded!: ExcludedDto;
  @ApiProperty({ type: IntervalsDto }) intervals!: IntervalsDto;
  @ApiProperty({ type: [LoyaltyRowDto] }) rows!: LoyaltyRowDto[];
}

class ComplaintWindowDto implements ComplaintWindow {
  @ApiProperty(INSTANT) from!: string;
  @ApiProperty(INSTANT) to!: string;
  @ApiInteger({ minimum: 0 }) complaints!: number;
  @ApiProperty({ type: 'number', description: 'Exact 95% Poisson interval, 4 decimals' }) complaintsLow!: number;
  @ApiProperty({ type: 'number' }) complaintsHigh!: number;
  @ApiProperty({ type: 'number', description: 'Complaints per day, 4 decimals' }) perDay!: number;
  @ApiInteger({ minimum: 0 }) purchases!: number;
  @ApiNullable({ type: 'number' }) per1000Purchases!: number | null;
}

class AfterWindowDto extends ComplaintWindowDto {
  @ApiProperty({ description: 'False while the window reaches past now' }) complete!: boolean;
}

class FixImpactDto implements FixImpact {
  @ApiProperty() caseId!: string;
  @ApiProperty({ example: 'fix-1' }) fixId!: string;
  @ApiProperty() description!: string;
  @ApiProperty(INSTANT) appliedAt!: string;
  @ApiProperty(INSTANT) effectiveFrom!: string;
  @ApiProperty({ type: ComplaintWindowDto }) before!: ComplaintWindowDto;
  @ApiProperty({ type: AfterWindowDto }) after!: AfterWindowDto;
  @ApiNullable({ ...RATIO, description: 'after / before − 1 of the daily rate; null when there were none before' }) change!: number | null;
  @ApiNullable(RATIO) changeLow!: number | null;
  @ApiNullable(RATIO) changeHigh!: number | null;
}

class CategoryIssuesDto {
  @ApiProperty({ example: 'delivery' }) category!: string;
  @ApiInteger({ minimum: 0 }) complaints!: number;
  @ApiProperty({ type: [FixImpactDto] }) fixes!: FixImpactDto[];
}

/** GET /analytics/systemic-issues. */
export class SystemicIssuesDto implements SystemicIssues {
  @ApiProperty({ type: OpenPeriodDto }) period!: OpenPeriodDto;
  @ApiInteger({ minimum: 1, example: 30 }) windowDays!: number;
  @ApiProperty({ type: 'number', example: 0.95 }) level!: number;
  @ApiProperty({ type: [CategoryIssuesDto], description: 'Most complaints first' }) categories!: CategoryIssuesDto[];
  @ApiInteger({ minimum: 0, description: 'Complaints of the period not yet assessed (no category)' }) unassessed!: number;
}

class DeadlineCountsDto implements DeadlineCounts {
  @ApiInteger({ minimum: 0 }) due!: number;
  @ApiInteger({ minimum: 0 }) onTime!: number;
  @ApiInteger({ minimum: 0 }) late!: number;
  @ApiInteger({ minimum: 0 }) pending!: number;
  @ApiInteger({ minimum: 0, description: 'Ended by a documented regulatory exception' }) excepted!: number;
}

class BreachesDto {
  @ApiInteger({ minimum: 0 }) total!: number;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(DEADLINE_KINDS.map((kind) => [kind, { type: 'integer', minimum: 0 }])),
    required: [...DEADLINE_KINDS],
  })
  byKind!: Record<DeadlineKind, number>;
}

class OutcomeCountsDto {
  @ApiInteger({ minimum: 0 }) upheld!: number;
  @ApiInteger({ minimum: 0 }) partiallyUpheld!: number;
  @ApiInteger({ minimum: 0 }) rejected!: number;
}

class AmountDto {
  @ApiProperty({ example: 'GBP' }) currency!: string;
  @ApiInteger({ description: 'Minor units' }) amount!: number;
}

class SummaryResolutionCountsDto implements SummaryResolutionCounts {
  @ApiInteger({ minimum: 0, description: 'Cases under a regime with a summary-resolution window (FCA DISP 1.5, ASIC RG 271)' })
  windows!: number;
  @ApiInteger({ minimum: 0, description: 'Of those, resolved within the window: they qualify for summary resolution' })
  qualifying!: number;
  @ApiInteger({
    minimum: 0,
    description: 'Of those, closed with the summary resolution communication (ASIC: without a written IDR response)',
  })
  communicationSent!: number;
}

class DeadlineTotalsDto implements Omit<RegimeReport, 'regime'> {
  @ApiInteger({ minimum: 0 }) cases!: number;
  @ApiProperty({ type: SummaryResolutionCountsDto }) summaryResolution!: SummaryResolutionCountsDto;
  @ApiProperty({ type: DeadlineCountsDto }) acknowledgement!: DeadlineCountsDto;
  @ApiProperty({ type: DeadlineCountsDto }) finalResponse!: DeadlineCountsDto;
  @ApiProperty({ type: BreachesDto }) breaches!: BreachesDto;
  @ApiProperty({
    type: 'object',
    description: 'Receipt to final resolution (else closure, else withdrawal)',
    properties: Object.fromEntries(CLOSURE_BUCKETS.map((bucket) => [bucket, { type: 'integer', minimum: 0 }])),
    required: [...CLOSURE_BUCKETS],
  })
  closure!: Record<ClosureBucket, number>;
  @ApiProperty({ type: OutcomeCountsDto }) outcomes!: OutcomeCountsDto;
  @ApiNullable({ ...RATIO, description: 'Upheld or partially upheld, of the cases with an outcome; null without any' })
  upheldRate!: number | null;
  @ApiProperty({ type: [AmountDto], description: 'Goodwill accepted or fulfilled, per currency' }) goodwillGranted!: AmountDto[];
}

class RegimeReportDto extends DeadlineTotalsDto implements RegimeReport {
  @ApiProperty({ example: 'FCA' }) regime!: string;
}

/** GET /analytics/deadlines. */
export class DeadlinesReportDto implements DeadlinesReport {
  @ApiProperty({ type: OpenPeriodDto }) period!: OpenPeriodDto;
  @ApiProperty({ ...INSTANT, description: 'Deadlines still open are judged against this instant' }) asOf!: string;
  @ApiProperty({ type: [RegimeReportDto] }) regimes!: RegimeReportDto[];
  @ApiProperty({ type: DeadlineTotalsDto }) total!: DeadlineTotalsDto;
}
