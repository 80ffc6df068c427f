import type { CaseView } from '../../projections/case-view/case-view';

/** The fields of a case a list or a customer page shows; the full view is one GET away. */
export type CaseSummary = Pick<
  CaseView,
  | 'caseId'
  | 'customerId'
  | 'status'
  | 'channel'
  | 'regime'
  | 'summary'
  | 'category'
  | 'severity'
  | 'justified'
  | 'rootCause'
  | 'escalationLevel'
  | 'breached'
  | 'reopenCount'
  | 'revision'
> & {
  assignee?: string;
  outcome?: string;
  satisfied?: boolean;
  csat?: number;
  receivedAt: string;
  resolvedAt?: string;
  closedAt?: string;
  updatedAt: string;
};

export function toCaseSummary(view: CaseView): CaseSummary {
  const {
    caseId,
    customerId,
    status,
    channel,
    regime,
    summary,
    category,
    severity,
    justified,
    rootCause,
    escalationLevel,
    breached,
    reopenCount,
    revision,
  } = view;
  return {
    caseId,
    customerId,
    status,
    channel,
    regime,
    summary,
    escalationLevel,
    breached,
    reopenCount,
    revision,
    ...(category !== undefined ? { category } : {}),
    ...(severity !== undefined ? { severity } : {}),
    ...(justified !== undefined ? { justified } : {}),
    ...(rootCause !== undefined ? { rootCause } : {}),
    ...(view.assignee ? { assignee: view.assignee.agentId } : {}),
    ...(view.resolution ? { outcome: view.resolution.outcome } : {}),
    ...(view.followUp ? { satisfied: view.followUp.satisfied, csat: view.followUp.csat } : {}),
    receivedAt: view.timestamps.receivedAt,
    ...(view.timestamps.resolvedAt ? { resolvedAt: view.timestamps.resolvedAt } : {}),
    ...(view.timestamps.closedAt ? { closedAt: view.timestamps.closedAt } : {}),
    updatedAt: view.timestamps.updatedAt,
  };
}
