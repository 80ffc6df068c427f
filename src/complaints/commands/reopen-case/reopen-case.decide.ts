import { Ensure, ruleBook } from '../../../core/errors';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { millis } from '../../domain/complaint.rules';
import type { CaseStatus, ComplaintCase } from '../../domain/complaint.state';
import { deadlinesOnReopen, shortenedFinalResponse, type Deadline, type DeadlineContext } from '../../domain/deadline-policies';

export type ReopenCase = ComplaintCommandOf<'ReopenCase', { reason: string }>;

export const REOPEN_CASE_RULES = {
  'reopen-needs-resolved-or-closed': 'Only a resolved or closed case can be reopened.',
  'reopen-window-passed': 'The window to reopen this case has passed: only a supervisor can reopen it now.',
  'withdrawn-not-reopenable':
    'A withdrawn complaint is never reopened: if the customer complains again, receive a new complaint and link it to this case (relatedCaseId).',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof REOPEN_CASE_RULES> = ruleBook(REOPEN_CASE_RULES).ensure;

const DAY_MS = 24 * 60 * 60 * 1000;
const REOPENABLE: ReadonlySet<CaseStatus> = new Set(['resolved', 'closed']);

export function ensureReopenable(state: ComplaintCase): void {
  ensure(!state.withdrawn, 'withdrawn-not-reopenable', `Case ${state.caseId} was withdrawn.`);
  ensure(REOPENABLE.has(state.status), 'reopen-needs-resolved-or-closed', `The case is ${state.status}.`);
}

/** The window runs from the moment the case reached its current status: its resolution, or its closure once closed. */
export function ensureWithinReopenWindow(state: ComplaintCase, { at, by }: Pick<ReopenCase, 'at' | 'by'>, policy: ComplaintPolicy): void {
  if (by.role === 'supervisor') return;
  const since = state.status === 'closed' ? state.closedAt : state.resolvedAt;
  if (since === undefined) return;
  const elapsedMs = millis(at) - millis(since);
  ensure(
    elapsedMs <= policy.reopenWindowDays * DAY_MS,
    'reopen-window-passed',
    `It is ${policy.reopenWindowDays} days from ${state.status === 'closed' ? 'closure' : 'resolution'} (${since}).`,
  );
}

export function decideReopenCase(command: ReopenCase, state: ComplaintCase, policy: ComplaintPolicy): ComplaintEvent[] {
  ensureReopenable(state);
  ensureWithinReopenWindow(state, command, policy);
  const context = { settings: policy.calendars };
  const deadlines = deadlinesOnReopen(state, command.at, context);
  const vulnerableCustomerDeadlines = stillShortened(state, deadlines, command.at, context);
  return [
    {
      type: 'CaseReopened',
      data: present({ reason: command.data.reason, deadlines, vulnerableCustomerDeadlines, ...stamp(command) }),
    },
  ];
}

/**
 * A vulnerable customer's flag outlives the resolution (FCA FG21/1: the vulnerability, not the case, is what needs care), so
 * while it stands with a shortened target the reopened case's final response keeps that target, counted from the reopen.
 */
function stillShortened(state: ComplaintCase, started: readonly Deadline[], at: string, context: DeadlineContext): Deadline[] | undefined {
  const days = state.vulnerability?.shortenedFinalResponseDays;
  const regimeDue = started.find((deadline) => deadline.kind === 'final-response');
  const shortened = days === undefined || !regimeDue ? undefined : shortenedFinalResponse(state, days, at, regimeDue, context);
  return shortened ? [shortened] : undefined;
}
