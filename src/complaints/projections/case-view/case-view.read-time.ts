import type { CaseView, DeadlineView } from './case-view';

/**
 * The case view as of `now`: a deadline still pending after its due instant is shown breached at once, as it is, even before
 * the deadline clock records the breach in the case's history (`breachRecorded` stays unset until it does). The stored view
 * only changes with events; this is how it is read.
 */
export function caseViewAt(view: CaseView, now: string): CaseView {
  const nowMs = Date.parse(now);
  const passed = (deadline: DeadlineView) => deadline.status === 'pending' && Date.parse(deadline.dueAt) < nowMs;
  if (!view.deadlines.some(passed)) return view;
  const deadlines = view.deadlines.map((deadline) =>
    passed(deadline) ? { ...deadline, status: 'breached' as const, breachedAt: deadline.dueAt } : deadline,
  );
  return { ...view, deadlines, breached: true };
}
