/**
 * Deadline policies: versioned data per regime, and the pure functions that turn them into due
 * instants. No I/O and no clock: every function is given the instants it counts from.
 *
 * A policy version is in force from its `effectiveFrom`; a complaint keeps the version in force
 * when it was received for its whole life (a later version never moves a running case's dates).
 * To change a policy, append a new version with a later `effectiveFrom`; never edit one that was
 * in force, or replays would compute other due dates than the ones the case was given.
 */
import { addBusinessDays, addCalendarDays, addHours, instantMs, MONDAY_TO_FRIDAY_UTC, type BusinessCalendar } from './business-days';
import type { ComplaintEventType } from './complaint.events';
import type { Regime } from './complaint.vocabulary';

export const DEADLINE_KINDS = ['acknowledgement', 'substantive-response', 'final-response', 'follow-up'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** How a due instant is computed from the instant the deadline starts at. */
export type DueRule =
  /** Elapsed hours. */
  | { readonly hours: number }
  /** Elapsed calendar days of 24 hours. */
  | { readonly calendarDays: number }
  /** The Nth business day after the start day (the start day never counts): same time of day, or its end with `endOfDay`. */
  | { readonly businessDays: number; readonly endOfDay?: boolean };

/**
 * One deadline of a policy. Every kind starts when the complaint is received, except `follow-up`,
 * which starts when the case is resolved.
 */
export type DeadlineRule = {
  readonly kind: DeadlineKind;
  /** Why the rule reads as it does, when not obvious. */ readonly note?: string;
} & DueRule;

export interface DeadlinePolicy {
  readonly regime: Regime;
  /** Stable id recorded on every deadline it set, e.g. `FCA@2026-01`. */
  readonly version: string;
  /** ISO-8601 instant: the version applies to complaints received at or after it. */
  readonly effectiveFrom: string;
  /** A short citation of where the rules come from. */
  readonly source: string;
  /** At most one rule per kind; a kind without a rule has no deadline under this policy. */
  readonly rules: readonly DeadlineRule[];
  /** A complaint resolved by the end of this business day after receipt may be closed with a summary resolution communication. */
  readonly summaryResolutionBusinessDays?: number;
  /** The business days the rules count; Monday to Friday in UTC when absent. */
  readonly calendar?: BusinessCalendar;
}

const FIRST_VERSION = '2000-01-01T00:00:00Z';
const FOLLOW_UP_AFTER_RESOLUTION: DeadlineRule = { kind: 'follow-up', calendarDays: 7 };

export const DEADLINE_POLICIES: readonly DeadlinePolicy[] = [
  {
    regime: 'default',
    version: 'default@2026-01',
    effectiveFrom: FIRST_VERSION,
    source: 'House policy (Redress docs/domain.md), configurable',
    rules: [{ kind: 'acknowledgement', hours: 24 }, { kind: 'final-response', calendarDays: 14 }, FOLLOW_UP_AFTER_RESOLUTION],
  },
  {
    regime: 'FCA',
    version: 'FCA@2026-01',
    effectiveFrom: FIRST_VERSION,
    source: 'FCA Handbook DISP 1.6.1R (prompt acknowledgement), DISP 1.6.2R (final response within 8 weeks), DISP 1.5 (summary resolution)',
    rules: [
      {
        kind: 'acknowledgement',
        businessDays: 1,
        endOfDay: true,
        note:
          'DISP 1.6.1R asks for a "prompt" written acknowledgement and sets no time. We read "promptly" as by the end of the ' +
          'next business day: a measurable deadline that always leaves the firm one full working day, whatever the hour or weekday ' +
          'of receipt. It is stricter than DISP, which ties the acknowledgement to complaints not resolved within the ' +
          'summary-resolution window; acknowledging early costs nothing.',
      },
      { kind: 'final-response', calendarDays: 56, note: '8 weeks after receipt.' },
      FOLLOW_UP_AFTER_RESOLUTION,
    ],
    summaryResolutionBusinessDays: 3,
  },
  {
    regime: 'CFPB',
    version: 'CFPB@2026-01',
    effectiveFrom: FIRST_VERSION,
    source: 'CFPB complaint process: company response within 15 days, final response within 60 days',
    rules: [{ kind: 'substantive-response', calendarDays: 15 }, { kind: 'final-response', calendarDays: 60 }, FOLLOW_UP_AFTER_RESOLUTION],
  },
  {
    regime: 'ASIC',
    version: 'ASIC@2026-01',
    effectiveFrom: FIRST_VERSION,
    source:
      'ASIC RG 271 (internal dispute resolution): acknowledge within 24 hours or one business day; IDR response within 30 calendar days',
    rules: [
      { kind: 'acknowledgement', hours: 24, note: 'RG 271 allows 24 hours or one business day; we use the stricter 24 hours.' },
      { kind: 'final-response', calendarDays: 30 },
      FOLLOW_UP_AFTER_RESOLUTION,
    ],
  },
];

/** The policy version in force for `regime` at `receivedAt` (latest effectiveFrom <= receivedAt). */
export function policyFor(regime: Regime, receivedAt: string, policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES): DeadlinePolicy {
  const received = instantMs(receivedAt);
  let inForce: DeadlinePolicy | undefined;
  for (const policy of policies) {
    if (policy.regime !== regime || instantMs(policy.effectiveFrom) > received) continue;
    if (!inForce || instantMs(policy.effectiveFrom) > instantMs(inForce.effectiveFrom)) inForce = policy;
  }
  if (!inForce) throw new Error(`No ${regime} deadline policy is in force at ${receivedAt}`);
  return inForce;
}

/** The rule of `kind` in a policy, if the policy sets that deadline. */
export function ruleFor(policy: DeadlinePolicy, kind: DeadlineKind): DeadlineRule | undefined {
  return policy.rules.find((rule) => rule.kind === kind);
}

export interface Deadline {
  kind: DeadlineKind;
  /** ISO-8601 instant in UTC, as `Date.prototype.toISOString` writes it. */
  dueAt: string;
  policyVersion: string;
}

/** The instant a rule makes a deadline due when it starts at `from`. */
export function dueAt(rule: DueRule, from: string, calendar: BusinessCalendar = MONDAY_TO_FRIDAY_UTC): string {
  if ('hours' in rule) return addHours(from, rule.hours);
  if ('calendarDays' in rule) return addCalendarDays(from, rule.calendarDays);
  return addBusinessDays(from, rule.businessDays, { endOfDay: rule.endOfDay, calendar });
}

function deadline(policy: DeadlinePolicy, rule: DeadlineRule, from: string): Deadline {
  return { kind: rule.kind, dueAt: dueAt(rule, from, policy.calendar), policyVersion: policy.version };
}

/**
 * The deadline of `kind` that starts at `from`, on a complaint of `regime` received at `receivedAt`, under the policy in force
 * then; undefined when that policy sets no deadline of this kind.
 */
export function deadlineStartingAt(
  regime: Regime,
  receivedAt: string,
  kind: DeadlineKind,
  from: string,
  policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES,
): Deadline | undefined {
  const policy = policyFor(regime, receivedAt, policies);
  const rule = ruleFor(policy, kind);
  return rule ? deadline(policy, rule, from) : undefined;
}

/** The deadlines a complaint gets when received (all but follow-up), in the order of DEADLINE_KINDS. */
export function deadlinesOnReceipt(
  regime: Regime,
  receivedAt: string,
  policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES,
): Deadline[] {
  return DEADLINE_KINDS.filter((kind) => kind !== 'follow-up').flatMap(
    (kind) => deadlineStartingAt(regime, receivedAt, kind, receivedAt, policies) ?? [],
  );
}

/** The follow-up deadline that starts when the case is resolved (under the policy in force when it was received). */
export function followUpDeadline(
  regime: Regime,
  receivedAt: string,
  resolvedAt: string,
  policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES,
): Deadline {
  const followUp = deadlineStartingAt(regime, receivedAt, 'follow-up', resolvedAt, policies);
  if (!followUp) throw new Error(`Deadline policy ${policyFor(regime, receivedAt, policies).version} sets no follow-up deadline`);
  return followUp;
}

/** The kinds whose obligation starts afresh when a case is reopened (see `deadlinesOnReopen`). */
export const DEADLINES_RESTARTED_BY_REOPEN: readonly DeadlineKind[] = ['final-response', 'follow-up'];

/**
 * The deadlines a reopen starts: a new final response, counted under the case's policy from the
 * reopen (the follow-up starts again at the next resolution). Acknowledgement and substantive
 * response are answered once per complaint and do not restart.
 */
export function deadlinesOnReopen(
  regime: Regime,
  receivedAt: string,
  reopenedAt: string,
  policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES,
): Deadline[] {
  const finalResponse = deadlineStartingAt(regime, receivedAt, 'final-response', reopenedAt, policies);
  return finalResponse ? [finalResponse] : [];
}

/** The end of the summary-resolution window (end of the Nth business day after receipt), for regimes that have one. */
export function summaryResolutionEndsAt(
  regime: Regime,
  receivedAt: string,
  policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES,
): string | undefined {
  const policy = policyFor(regime, receivedAt, policies);
  const days = policy.summaryResolutionBusinessDays;
  return days === undefined ? undefined : addBusinessDays(receivedAt, days, { endOfDay: true, calendar: policy.calendar });
}

/** Whether a complaint resolved at `resolvedAt` may be closed with a summary resolution communication (FCA DISP 1.5). */
export function isSummaryResolution(
  regime: Regime,
  receivedAt: string,
  resolvedAt: string,
  policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES,
): boolean {
  const endsAt = summaryResolutionEndsAt(regime, receivedAt, policies);
  return endsAt !== undefined && instantMs(resolvedAt) <= instantMs(endsAt);
}

/**
 * The events that meet each kind of deadline. A substantive response is any answer on the merits:
 * an apology, an explanation, a resolution plan or the resolution itself.
 */
export const DEADLINE_MET_BY: Readonly<Record<DeadlineKind, readonly ComplaintEventType[]>> = {
  acknowledgement: ['ComplaintAcknowledged'],
  'substantive-response': ['ApologyIssued', 'ExplanationGiven', 'ResolutionPlanCommunicated', 'ComplaintResolved', 'FinalResponseIssued'],
  'final-response': ['ComplaintResolved', 'FinalResponseIssued'],
  'follow-up': ['FollowUpCompleted'],
};

/** Whether an event of `eventType` meets a deadline of `kind` (on time or late: compare its instant with the due instant). */
export function meetsDeadline(kind: DeadlineKind, eventType: string): boolean {
  return (DEADLINE_MET_BY[kind] as readonly string[]).includes(eventType);
}

/**
 * The events that end every obligation still running: a withdrawn complaint needs no answer, and a
 * closed case has nothing left to answer. A deadline already met or breached keeps its outcome.
 */
export const DEADLINES_CANCELLED_BY: readonly ComplaintEventType[] = ['ComplaintWithdrawn', 'CaseClosed'];

export function cancelsDeadlines(eventType: string): boolean {
  return (DEADLINES_CANCELLED_BY as readonly string[]).includes(eventType);
}
