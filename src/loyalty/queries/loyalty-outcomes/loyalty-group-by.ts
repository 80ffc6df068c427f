/** The facts of a complaint the loyalty report can break its cohorts down by (`groupBy`). */
export const LOYALTY_GROUP_BY = [
  'category',
  'channel',
  'rootCause',
  'goodwillKind',
  'firstResponseBucket',
  'causeLevel1',
  'causeLevel2',
  'vulnerability',
] as const;
export type LoyaltyGroupBy = (typeof LOYALTY_GROUP_BY)[number];
