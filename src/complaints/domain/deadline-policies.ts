/**
 * Deadline policies: versioned data per regime, and the pure functions that turn them into due
 * instants. No I/O and no clock: every function is given the instants it counts from.
 *
 * A policy version is in force from its `effectiveFrom`; a complaint gets the version in force when it was received, and the
 * due instants it computes are recorded in the events that start them (ComplaintReceived, ComplaintResolved, CaseReopened):
 * a later version, or a firm that changes its calendar settings, never moves a running case's dates. To change a policy,
 * append a new version; never edit one that was in force. A version whose calendar turned out wrong is retired
 * (RETIRED_DEADLINE_POLICIES): no new case gets it, and the events recorded under it keep their dates.
 *
 * Each policy names its calendar (CALENDARS): the regime's time zone and public holidays, plus the firm's closure days.
 */
import {
  addBusinessDays,
  addCalendarDays,
  addHours,
  instantMs,
  isLocalDate,
  isTimeZone,
  knowsHolidays,
  MONDAY_TO_FRIDAY_UTC,
  type BusinessCalendar,
} from './business-days';
import type { ComplaintEventType } from './complaint.events';
import type { AsicComplaintType, Regime } from './complaint.vocabulary';

export const DEADLINE_KINDS = ['acknowledgement', 'substantive-response', 'final-response', 'follow-up'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** How a due instant is computed from the instant the deadline starts at. */
export type DueRule =
  /** Elapsed hours. */
  | { readonly hours: number }
  /** Calendar days in the calendar's zone: the same local time of day, or its end with `endOfDay`. */
  | { readonly calendarDays: number; readonly endOfDay?: boolean }
  /** The Nth business day after the start day (the start day never counts): same local time of day, or its end with `endOfDay`. */
  | { readonly businessDays: number; readonly endOfDay?: boolean };

/**
 * One deadline of a policy. Every kind starts when the complaint is received, except `follow-up`,
 * which starts when the case is resolved.
 */
export type DeadlineRule = {
  readonly kind: DeadlineKind;
  /** Why the rule reads as it does, when not obvious. */ readonly note?: string;
} & DueRule;

/** The calendars policies name; each is built from the firm's settings by `businessCalendar`. */
export const CALENDAR_NAMES = ['mon-fri-utc', 'england-and-wales', 'us-federal', 'australia'] as const;
export type CalendarName = (typeof CALENDAR_NAMES)[number];

export interface DeadlinePolicy {
  readonly regime: Regime;
  /** Stable id recorded on every deadline it set, e.g. `FCA@2026-11`. */
  readonly version: string;
  /** ISO-8601 instant: the version applies to complaints received at or after it. */
  readonly effectiveFrom: string;
  /** A short citation of where the rules come from. */
  readonly source: string;
  /** At most one rule per kind; a kind without a rule has no deadline under this policy. */
  readonly rules: readonly DeadlineRule[];
  /**
   * A complaint resolved by the end of this business day after receipt may be closed without the full written response: with
   * a summary resolution communication (FCA DISP 1.5, 3 days), or without a written IDR response (ASIC RG 271, 5 days).
   */
  readonly summaryResolutionBusinessDays?: number;
  /** The calendar the rules count days in. */
  readonly calendar: CalendarName;
  /** The final response of a payment-services complaint, where the regime sets one apart. */
  readonly paymentServicesFinalResponse?: DueRule;
  /** …and how far a holding reply sent in time extends it (counted from receipt). */
  readonly paymentServicesAfterHoldingReply?: DueRule;
  /** ASIC: the final (IDR) response of the complaint types RG 271 gives a maximum timeframe of their own. */
  readonly idrTimeframes?: Readonly<Record<AsicComplaintType, DueRule>>;
}

/** What sets a complaint's final response apart from its regime's standard one, as recorded on receipt or assessment. */
export interface DeadlineVariant {
  /** FCA: a payment-services complaint (DISP 1.6.2AR). */
  readonly paymentServices?: boolean;
  /** ASIC: a complaint type with its own maximum IDR timeframe (RG 271). */
  readonly asicComplaintType?: AsicComplaintType;
}

/** What a firm configures of its calendars. Everything else about a regime's calendar is fixed by the regime. */
export interface CalendarSettings {
  /** CFPB: the IANA zone the firm's US business days are counted in; default America/New_York. */
  readonly usTimeZone?: string;
  /** ASIC: the IANA zone of the firm's Australian business days; default Australia/Sydney. */
  readonly australianTimeZone?: string;
  /** ASIC: the state or territory (`date-holidays` code: NSW, VIC, QLD, …) whose holidays count besides the national ones. */
  readonly australianState?: string;
  /** The firm's own closure days (`YYYY-MM-DD`, local), on top of every regime's public holidays. */
  readonly closures?: readonly string[];
}

export const DEFAULT_US_TIME_ZONE = 'America/New_York';
export const DEFAULT_AUSTRALIAN_TIME_ZONE = 'Australia/Sydney';

/** The calendar a policy names, under the firm's settings. */
export function businessCalendar(name: CalendarName, settings: CalendarSettings = {}): BusinessCalendar {
  const closures = settings.closures ?? [];
  switch (name) {
    case 'mon-fri-utc':
      return MONDAY_TO_FRIDAY_UTC;
    case 'england-and-wales':
      // DISP's "business day" excludes Christmas Day, Good Friday and the bank holidays of England and Wales.
      return {
        name: 'england-and-wales',
        timeZone: 'Europe/London',
        weekendDays: [0, 6],
        publicHolidays: { country: 'GB', region: 'ENG', types: ['public', 'bank'] },
        closures,
      };
    case 'us-federal':
      return {
        name: 'us-federal',
        timeZone: settings.usTimeZone ?? DEFAULT_US_TIME_ZONE,
        weekendDays: [0, 6],
        publicHolidays: { country: 'US', types: ['public'] },
        closures,
      };
    case 'australia':
      // RG 271's business day: not a Saturday, Sunday, public holiday or bank holiday in the place concerned.
      return {
        name: settings.australianState ? `australia-${settings.australianState}` : 'australia',
        timeZone: settings.australianTimeZone ?? DEFAULT_AUSTRALIAN_TIME_ZONE,
        weekendDays: [0, 6],
        publicHolidays: { country: 'AU', region: settings.australianState, types: ['public', 'bank'] },
        closures,
      };
  }
}

/** Throws a RangeError naming the setting that no calendar could use: settings are checked once, at start. */
export function validateCalendarSettings(settings: CalendarSettings): CalendarSettings {
  for (const [name, zone] of [
    ['usTimeZone', settings.usTimeZone],
    ['australianTimeZone', settings.australianTimeZone],
  ] as const) {
    if (zone !== undefined && !isTimeZone(zone)) throw new RangeError(`${name} must be an IANA time zone, got "${zone}"`);
  }
  if (settings.australianState !== undefined && !knowsHolidays('AU', settings.australianState)) {
    throw new RangeError(
      `australianState must be an Australian state or territory code (NSW, VIC, QLD, …), got "${settings.australianState}"`,
    );
  }
  const badClosure = (settings.closures ?? []).find((date) => !isLocalDate(date));
  if (badClosure !== undefined) throw new RangeError(`closures must be dates written YYYY-MM-DD, got "${badClosure}"`);
  return settings;
}

const FIRST_VERSION = '2000-01-01T00:00:00Z';
const FOLLOW_UP_AFTER_RESOLUTION: DeadlineRule = { kind: 'follow-up', calendarDays: 7 };

const FCA_ACKNOWLEDGEMENT_NOTE =
  'DISP 1.6.1R asks for a "prompt" written acknowledgement and sets no time. We read "promptly" as by the end of the ' +
  'next business day: a measurable deadline that always leaves the firm one full working day, whatever the hour or weekday ' +
  'of receipt. It is stricter than DISP, which ties the acknowledgement to complaints not resolved within the ' +
  'summary-resolution window; acknowledging early costs nothing.';
const FCA_SOURCE =
  'FCA Handbook DISP 1.6.1R (prompt acknowledgement), DISP 1.6.2R (final response within 8 weeks), DISP 1.5 (summary resolution)';
const CFPB_SOURCE = 'CFPB complaint process: company response within 15 days, final response within 60 days';
const ASIC_SOURCE =
  'ASIC RG 271 (internal dispute resolution): acknowledge within 24 hours or one business day; IDR response within 30 calendar days';

/**
 * The versions first shipped, which counted business days Monday to Friday in UTC with no public holidays. Retired: no new
 * case gets them, but the cases received under them keep the dates they were given (see complaint.upcasters.ts).
 */
export const RETIRED_DEADLINE_POLICIES: readonly DeadlinePolicy[] = [
  {
    regime: 'FCA',
    version: 'FCA@2026-01',
    effectiveFrom: FIRST_VERSION,
    source: FCA_SOURCE,
    rules: [
      { kind: 'acknowledgement', businessDays: 1, endOfDay: true, note: FCA_ACKNOWLEDGEMENT_NOTE },
      { kind: 'final-response', calendarDays: 56, note: '8 weeks after receipt.' },
      FOLLOW_UP_AFTER_RESOLUTION,
    ],
    summaryResolutionBusinessDays: 3,
    calendar: 'mon-fri-utc',
  },
  {
    regime: 'CFPB',
    version: 'CFPB@2026-01',
    effectiveFrom: FIRST_VERSION,
    source: CFPB_SOURCE,
    rules: [{ kind: 'substantive-response', calendarDays: 15 }, { kind: 'final-response', calendarDays: 60 }, FOLLOW_UP_AFTER_RESOLUTION],
    calendar: 'mon-fri-utc',
  },
  {
    regime: 'ASIC',
    version: 'ASIC@2026-01',
    effectiveFrom: FIRST_VERSION,
    source: ASIC_SOURCE,
    rules: [
      { kind: 'acknowledgement', hours: 24, note: 'RG 271 allows 24 hours or one business day; we use the stricter 24 hours.' },
      { kind: 'final-response', calendarDays: 30 },
      FOLLOW_UP_AFTER_RESOLUTION,
    ],
    calendar: 'mon-fri-utc',
  },
];

export const DEADLINE_POLICIES: readonly DeadlinePolicy[] = [
  {
    regime: 'default',
    version: 'default@2026-01',
    effectiveFrom: FIRST_VERSION,
    source: 'House policy (Redress docs/domain.md), configurable',
    rules: [{ kind: 'acknowledgement', hours: 24 }, { kind: 'final-response', calendarDays: 14 }, FOLLOW_UP_AFTER_RESOLUTION],
    calendar: 'mon-fri-utc',
  },
  {
    regime: 'FCA',
    version: 'FCA@2026-11',
    effectiveFrom: FIRST_VERSION,
    source: FCA_SOURCE,
    rules: [
      { kind: 'acknowledgement', businessDays: 1, endOfDay: true, note: FCA_ACKNOWLEDGEMENT_NOTE },
      { kind: 'final-response', calendarDays: 56, note: '8 weeks after receipt, at the same London time of day.' },
      FOLLOW_UP_AFTER_RESOLUTION,
    ],
    summaryResolutionBusinessDays: 3,
    calendar: 'england-and-wales',
    // DISP 1.6.2AR(1): payment services and e-money complaints, 15 business days; DISP 1.6.2AR(2): 35 after a holding reply.
    paymentServicesFinalResponse: { businessDays: 15, endOfDay: true },
    paymentServicesAfterHoldingReply: { businessDays: 35, endOfDay: true },
  },
  {
    regime: 'CFPB',
    version: 'CFPB@2026-11',
    effectiveFrom: FIRST_VERSION,
    source: CFPB_SOURCE,
    rules: [
      { kind: 'substantive-response', calendarDays: 15, note: 'Calendar days: the CFPB counts them whatever the federal holidays.' },
      { kind: 'final-response', calendarDays: 60 },
      FOLLOW_UP_AFTER_RESOLUTION,
    ],
    calendar: 'us-federal',
  },
  {
    regime: 'ASIC',
    version: 'ASIC@2026-11',
    effectiveFrom: FIRST_VERSION,
    source: ASIC_SOURCE,
    rules: [
      { kind: 'acknowledgement', hours: 24, note: 'RG 271 allows 24 hours or one business day; we use the stricter 24 hours.' },
      { kind: 'final-response', calendarDays: 30 },
      FOLLOW_UP_AFTER_RESOLUTION,
    ],
    // RG 271's other maximum IDR timeframes. Added to this version in force rather than in a new one: no case received under it
    // had a complaint type before, so no recorded due instant moves, and a case received under it can still be classified.
    idrTimeframes: {
      'default-notice': { calendarDays: 21 },
      'hardship-notice': { calendarDays: 21 },
      'declined-hardship-request': { calendarDays: 21 },
      'postponement-request': { calendarDays: 21 },
      'superannuation-trustee': { calendarDays: 45 },
    },
    // RG 271: a complaint closed to the complainant's satisfaction by the end of the 5th business day after receipt needs
    // no written IDR response (unless the complainant asks for one): the same window mechanism as the FCA's DISP 1.5.
    summaryResolutionBusinessDays: 5,
    calendar: 'australia',
  },
];

/** The policies in force before calendars were modelled: how a receipt recorded then is read (see complaint.upcasters.ts). */
export const POLICIES_BEFORE_CALENDARS: readonly DeadlinePolicy[] = [
  ...DEADLINE_POLICIES.filter((policy) => policy.calendar === 'mon-fri-utc'),
  ...RETIRED_DEADLINE_POLICIES,
];

/** Which policies and calendar settings a computation uses; the shipped policies and default settings when absent. */
export interface DeadlineContext {
  readonly settings?: CalendarSettings;
  readonly policies?: readonly DeadlinePolicy[];
}

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

/** A policy by its version, current or retired: how a recorded deadline finds the rules it was set under. */
export function policyByVersion(version: string, policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES): DeadlinePolicy | undefined {
  return [...policies, ...RETIRED_DEADLINE_POLICIES].find((policy) => policy.version === version);
}

/**
 * The rule of `kind` in a policy, if the policy sets that deadline (for a payment-services complaint or an ASIC complaint type
 * with its own timeframe, its own final response).
 */
export function ruleFor(policy: DeadlinePolicy, kind: DeadlineKind, variant: DeadlineVariant = {}): DeadlineRule | undefined {
  if (kind === 'final-response' && variant.paymentServices && policy.paymentServicesFinalResponse) {
    return { kind, ...policy.paymentServicesFinalResponse };
  }
  const idrTimeframe = variant.asicComplaintType === undefined ? undefined : policy.idrTimeframes?.[variant.asicComplaintType];
  if (kind === 'final-response' && idrTimeframe) return { kind, ...idrTimeframe };
  return policy.rules.find((rule) => rule.kind === kind);
}

export interface Deadline {
  kind: DeadlineKind;
  /** ISO-8601 instant in UTC, as `Date.prototype.toISOString` writes it. */
  dueAt: string;
  policyVersion: string;
}

/** What picks a complaint's deadline policy: the version recorded at its receipt, else its regime and when it was received. */
export interface PolicyKey extends DeadlineVariant {
  readonly regime: Regime;
  readonly receivedAt: string;
  readonly policyVersion?: string;
}

/** The policy a case follows: the version its receipt recorded (current or retired), else the one in force at receipt. */
export function casePolicy(key: PolicyKey, policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES): DeadlinePolicy {
  const recorded = key.policyVersion === undefined ? undefined : policyByVersion(key.policyVersion, policies);
  return recorded ?? policyFor(key.regime, key.receivedAt, policies);
}

/** The instant a rule makes a deadline due when it starts at `from`. */
export function dueAt(rule: DueRule, from: string, calendar: BusinessCalendar = MONDAY_TO_FRIDAY_UTC): string {
  if ('hours' in rule) return addHours(from, rule.hours);
  if ('calendarDays' in rule) return addCalendarDays(from, rule.calendarDays, { endOfDay: rule.endOfDay, calendar });
  return addBusinessDays(from, rule.businessDays, { endOfDay: rule.endOfDay, calendar });
}

/**
 * The deadline of `kind` that starts at `from` on a case, under its policy and the firm's calendar settings; undefined when
 * that policy sets no deadline of this kind.
 */
export function deadlineStartingAt(key: PolicyKey, kind: DeadlineKind, from: string, context: DeadlineContext = {}): Deadline | undefined {
  const policy = casePolicy(key, context.policies);
  const rule = ruleFor(policy, kind, key);
  if (!rule) return undefined;
  return { kind, dueAt: dueAt(rule, from, businessCalendar(policy.calendar, context.settings)), policyVersion: policy.version };
}

/** The kinds that start when the complaint is received: all but the follow-up, which starts at the resolution. */
export const DEADLINES_STARTED_ON_RECEIPT: readonly DeadlineKind[] = DEADLINE_KINDS.filter((kind) => kind !== 'follow-up');

/** The deadlines a complaint gets when received, in the order of DEADLINE_KINDS, under the version in force then. */
export function deadlinesOnReceipt(
  regime: Regime,
  receivedAt: string,
  context: DeadlineContext = {},
  variant: DeadlineVariant = {},
): Deadline[] {
  const key = { regime, receivedAt, policyVersion: policyFor(regime, receivedAt, context.policies).version, ...variant };
  return DEADLINES_STARTED_ON_RECEIPT.flatMap((kind) => deadlineStartingAt(key, kind, receivedAt, context) ?? []);
}

/** The follow-up deadline that starts when the case is resolved (under the case's policy). */
export function followUpDeadline(key: PolicyKey, resolvedAt: string, context: DeadlineContext = {}): Deadline {
  const followUp = deadlineStartingAt(key, 'follow-up', resolvedAt, context);
  if (!followUp) throw new Error(`Deadline policy ${casePolicy(key, context.policies).version} sets no follow-up deadline`);
  return followUp;
}

/** The extended final response of a payment-services complaint after a holding reply (DISP 1.6.2AR), if the policy sets one. */
export function paymentServicesExtension(key: PolicyKey, policy: DeadlinePolicy, context: DeadlineContext = {}): Deadline | undefined {
  const rule = policy.paymentServicesAfterHoldingReply;
  if (!rule) return undefined;
  const calendar = businessCalendar(policy.calendar, context.settings);
  return { kind: 'final-response', dueAt: dueAt(rule, key.receivedAt, calendar), policyVersion: policy.version };
}

/**
 * A vulnerable customer's shortened final-response target (house policy, FCA FG21/1): `days` calendar days from `from` (the
 * receipt, or the reopen) in the case's calendar, when that is sooner than the regime's due instant; else undefined.
 */
export function shortenedFinalResponse(
  key: PolicyKey,
  days: number,
  from: string,
  regimeDue: Deadline,
  context: DeadlineContext = {},
): Deadline | undefined {
  const policy = casePolicy(key, context.policies);
  const target = dueAt({ calendarDays: days }, from, businessCalendar(policy.calendar, context.settings));
  return instantMs(target) < instantMs(regimeDue.dueAt) ? { ...regimeDue, dueAt: target } : undefined;
}

/** The kinds whose obligation starts afresh when a case is reopened (see `deadlinesOnReopen`). */
export const DEADLINES_RESTARTED_BY_REOPEN: readonly DeadlineKind[] = ['final-response', 'follow-up'];

/**
 * The deadlines a reopen starts: a new final response, counted under the case's policy from the
 * reopen (the follow-up starts again at the next resolution). Acknowledgement and substantive
 * response are answered once per complaint and do not restart.
 */
export function deadlinesOnReopen(key: PolicyKey, reopenedAt: string, context: DeadlineContext = {}): Deadline[] {
  const finalResponse = deadlineStartingAt(key, 'final-response', reopenedAt, context);
  return finalResponse ? [finalResponse] : [];
}

/** The end of the summary-resolution window (end of the Nth business day after receipt), for regimes that have one. */
export function summaryResolutionEndsAt(key: PolicyKey, context: DeadlineContext = {}): string | undefined {
  const policy = casePolicy(key, context.policies);
  const days = policy.summaryResolutionBusinessDays;
  if (days === undefined) return undefined;
  return addBusinessDays(key.receivedAt, days, { endOfDay: true, calendar: businessCalendar(policy.calendar, context.settings) });
}

/** Whether a complaint resolved at `resolvedAt` may be closed with a summary resolution communication (FCA DISP 1.5). */
export function isSummaryResolution(key: PolicyKey, resolvedAt: string, context: DeadlineContext = {}): boolean {
  const endsAt = summaryResolutionEndsAt(key, context);
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
 * The events that end obligations still running, and which: a withdrawn complaint needs no answer at all. Closing a case
 * ends only the firm's own follow-up and the acknowledgement: no regulator lets a firm drop its response duty because it
 * closed the case (the customer went quiet, say), so the substantive and final responses run on until they are given, or a
 * documented regulatory exception ends them (DeadlineExceptionRecorded). A deadline already met or breached keeps its outcome.
 */
export const DEADLINES_CANCELLED_BY: Readonly<Partial<Record<ComplaintEventType, readonly DeadlineKind[]>>> = {
  ComplaintWithdrawn: DEADLINE_KINDS,
  CaseClosed: ['acknowledgement', 'follow-up'],
};

/** Whether an event of `eventType` ends a running deadline of `kind` unanswered. */
export function cancelsDeadline(eventType: string, kind: DeadlineKind): boolean {
  return (DEADLINES_CANCELLED_BY[eventType as ComplaintEventType] ?? []).includes(kind);
}
