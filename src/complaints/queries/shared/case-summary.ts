import type { CustomerVulnerabilityView } from '../../../customers/public';
import type { CaseView } from '../../projections/case-view/case-view';
import { nextOpenDeadline } from '../../projections/case-view/case-view.queue-columns';

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
  | 'tags'
> & {
  assignee?: string;
  team?: string;
  /** The next open deadline: what the desk's queues sort and filter on. */
  dueAt?: string;
  dueKind?: string;
  /** The FG21/1 reason while the case is flagged vulnerable, else the customer's own while they are. */
  vulnerable?: string;
  outcome?: string;
  satisfied?: boolean;
  csat?: number;
  receivedAt: string;
  resolvedAt?: string;
  closedAt?: string;
  updatedAt: string;
};

/** `customerVulnerability`: the case's customer's own flag, when they carry one (a flag on the case itself wins). */
export function toCaseSummary(view: CaseView, customerVulnerability?: CustomerVulnerabilityView): CaseSummary {
  const vulnerable = view.vulnerability?.reason ?? customerVulnerability?.reason;
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
    ...(view.team ? { team: view.team } : {}),
    ...dueOf(view),
    ...(view.tags ? { tags: view.tags } : {}),
    ...(vulnerable !== undefined ? { vulnerable } : {}),
    ...(view.resolution ? { outcome: view.resolution.outcome } : {}),
    ...(view.followUp ? { satisfied: view.followUp.satisfied, csat: view.followUp.csat } : {}),
    receivedAt: view.timestamps.receivedAt,
    ...(view.timestamps.resolvedAt ? { resolvedAt: view.timestamps.resolvedAt } : {}),
    ...(view.timestamps.closedAt ? { closedAt: view.timestamps.closedAt } : {}),
    updatedAt: view.timestamps.updatedAt,
  };
}

function dueOf(view: CaseView): Pick<CaseSummary, 'dueAt' | 'dueKind'> {
  const next = nextOpenDeadline(view);
  return next ? { dueAt: next.dueAt, dueKind: next.kind } : {};
}
