import { BoundaryParam, MIN_POSITION_PARAM } from '../shared/analytics-params';

/** Query string of GET /analytics/deadlines. */
export class DeadlinesQueryDto {
  @BoundaryParam('Cases received from this date or instant; default: the beginning', { required: false, example: '2026-01-01' })
  from?: string;

  @BoundaryParam('…until this date (included) or instant (excluded); default: no end', { required: false, example: '2026-06-30' })
  to?: string;

  @MIN_POSITION_PARAM()
  minPosition?: string;
}
