import { BoundaryParam, DaysParam, MIN_POSITION_PARAM } from '../shared/analytics-params';

/** Query string of GET /analytics/systemic-issues. */
export class SystemicIssuesQueryDto {
  @BoundaryParam('Count complaints received from (and list fixes effective from) this date or instant; default: the beginning', {
    required: false,
    example: '2026-01-01',
  })
  from?: string;

  @BoundaryParam('…until this date (included) or instant (excluded); default: no end', { required: false, example: '2026-12-31' })
  to?: string;

  @DaysParam('Length of the equal windows before and after each fix in which complaints of its category are counted', {
    min: 1,
    max: 365,
    default: 30,
  })
  windowDays?: number;

  @MIN_POSITION_PARAM()
  minPosition?: string;
}
