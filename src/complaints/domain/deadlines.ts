/**
 * The deadlines of one complaint, computed from its events: when each falls due (deadline-policies.ts) and what became of it.
 * The decider's state and the case view fold the same deadlines with `evolveDeadlines`; the decider reads them per kind
 * (`currentOutcomes`), the case view shows the dated ones as they are.
 *
 * A deadline is one obligation of the case: an answer of one kind, owed from the moment it starts. Every kind starts when the
 * complaint is received, except the follow-up, which starts when the case is resolved. A kind the case's policy sets no due
 * instant for is tracked all the same, undated: it is met or cancelled like the others, but never falls due.
 */
import { instantMs } from './business-days';
import { present } from './complaint.command';
import type { ComplaintEvent } from './complaint.events';
import type { DeadlineExceptionGround } from './complaint.vocabulary';
import {
  cancelsDeadline,
  DEADLINE_KINDS,
  DEADLINES_RESTARTED_BY_REOPEN,
  DEADLINES_STARTED_ON_RECEIPT,
  deadlineStartingAt,
  meetsDeadline,
  type Deadline,
  type DeadlineKind,
  type PolicyKey,
} from './deadline-policies';

export type { PolicyKey } from './deadline-policies';

/**
 * - `pending`: still running;
 * - `met`: answered by its due instant (an undated deadline: answered);
 * - `breached`: answered after its due instant, or recorded breached by the deadline clock;
 * - `cancelled`: ended unanswered by a withdrawal or a closure, or replaced by a reopen before it was answered;
 * - `excepted`: ended before it fell due by a documented regulatory exception (DeadlineExceptionRecorded).
 */
export type CaseDeadlineStatus = 'pending' | 'met' | 'breached' | 'cancelled' | 'excepted';

export interface CaseDeadline {
  readonly kind: DeadlineKind;
  /** When it falls due; absent when the case's policy sets no deadline of this kind. */
  readonly dueAt?: string;
  /** The policy version that set `dueAt`. */
  readonly policyVersion?: string;
  readonly status: CaseDeadlineStatus;
  /** When the first event that meets it (DEADLINE_MET_BY) happened, on time or late. */
  readonly answeredAt?: string;
  /** True when it was answered, but only after its due instant (its status is then `breached`). */
  readonly late?: true;
  /** The due instant when it was answered late; else when the deadline clock recorded the breach. */
  readonly breachedAt?: string;
  /** True once a DeadlineBreached event records the breach in the case's history. */
  readonly breachRecorded?: boolean;
  /** When a withdrawal or a closure ended it unanswered. */
  readonly cancelledAt?: string;
  /** When a reopen replaced it: from then on it is no longer the case's current deadline of its kind. */
  readonly restartedAt?: string;
  /** The due instant it had before a holding reply extended it (FCA payment services, DISP 1.6.2AR). */
  readonly extendedFrom?: string;
  /** While a vulnerable customer's shortened target brings it forward (`dueAt`), the regime's own due instant. */
  readonly shortenedFrom?: string;
  /** Every due instant it had before the current one, oldest first: none is rewritten, each stays with its policy version. */
  readonly rescheduled?: readonly Rescheduling[];
  /** The regulatory exception that ended it, when one did. */
  readonly exception?: {
    readonly at: string;
    readonly ground: DeadlineExceptionGround;
    readonly reason: string;
    readonly reference?: string;
  };
}

/** What moved a running deadline's due instant after it started. */
export const RESCHEDULE_BASES = [
  'payment-services',
  'idr-complaint-type',
  'holding-reply',
  'vulnerable-customer',
  'idr-delay-notice',
] as const;
export type RescheduleBasis = (typeof RESCHEDULE_BASES)[number];

/** A due instant a deadline had until `until`, when an event of `by` moved it. */
export interface Rescheduling {
  readonly dueAt: string;
  readonly policyVersion: string;
  readonly until: string;
  readonly by: RescheduleBasis;
}

export type DatedDeadline = CaseDeadline & { readonly dueAt: string; readonly policyVersion: string };

export function isDated(deadline: CaseDeadline): deadline is DatedDeadline {
  return deadline.dueAt !== undefined;
}

/**
 * What became of the current deadline of one kind, as the decider reads it:
 * - `met`: its first meeting event happened at `at`, which may be after the due instant (a late answer);
 * - `breached`: the deadline clock recorded that the deadline due at `at` passed unmet (a later answer does not undo it);
 * - `cancelled`: the case was withdrawn or closed at `at` while the deadline still ran.
 */
export type DeadlineOutcome = 'met' | 'breached' | 'cancelled' | 'excepted';

export interface DeadlineStatus {
  readonly outcome: DeadlineOutcome;
  /** `met`, `cancelled`: when the event happened; `breached`: the due instant that passed. */
  readonly at: string;
}

export type DeadlineOutcomes = Readonly<Partial<Record<DeadlineKind, DeadlineStatus>>>;

const STARTED_BY_RESOLUTION: readonly DeadlineKind[] = DEADLINE_KINDS.filter((kind) => !DEADLINES_STARTED_ON_RECEIPT.includes(kind));
/** Of the kinds a reopen restarts, those counted from receipt start again from the reopen; the follow-up waits for the next resolution. */
const STARTED_BY_REOPEN: readonly DeadlineKind[] = DEADLINES_RESTARTED_BY_REOPEN.filter((kind) =>
  DEADLINES_STARTED_ON_RECEIPT.includes(kind),
);

/**
 * The deadlines a complaint is received with, in the order of DEADLINE_KINDS: the due instants its ComplaintReceived recorded
 * (`recorded`), so that no later policy or calendar setting moves them.
 */
export function initialDeadlines(key: PolicyKey, recorded?: readonly Deadline[]): CaseDeadline[] {
  return started(key, DEADLINES_STARTED_ON_RECEIPT, key.receivedAt, recorded);
}

/** The policy version a case follows, as its receipt recorded it (absent on a case whose policy sets no deadline at receipt). */
export function recordedPolicyVersion(recorded: readonly Deadline[] | undefined): string | undefined {
  return recorded?.[0]?.policyVersion;
}

/**
 * The deadlines after one more event of the case (ComplaintReceived starts them: see `initialDeadlines`). The first meeting event
 * meets a running deadline; a withdrawal or closure cancels every running one; a resolution starts the follow-up; a reopen
 * replaces the deadlines of the kinds it restarts (DEADLINES_RESTARTED_BY_REOPEN); DeadlineBreached records the breach of the
 * deadline of its kind and due instant, whichever it is.
 */
export function evolveDeadlines(deadlines: readonly CaseDeadline[], event: ComplaintEvent, key: PolicyKey): CaseDeadline[] {
  const { at } = event.data;
  if (event.type === 'DeadlineBreached')
    return deadlines.map((deadline) => (isBreachOf(deadline, event.data) ? breachRecorded(deadline, at) : deadline));
  if (event.type === 'HoldingResponseSent') return holdingResponse(deadlines, event.data);
  if (event.type === 'ComplaintAssessed')
    return rescheduled(deadlines, event.data, event.data.asicComplaintType !== undefined ? 'idr-complaint-type' : 'payment-services');
  if (event.type === 'IdrDelayNoticeSent') return rescheduled(deadlines, event.data, 'idr-delay-notice');
  if (event.type === 'VulnerabilityFlagged' || event.type === 'VulnerabilityCleared') return vulnerableCustomer(deadlines, event.data);
  if (event.type === 'DeadlineExceptionRecorded') {
    const { kind, ground, reason, reference } = event.data;
    const exception = { at, ground, reason, ...(reference !== undefined ? { reference } : {}) };
    const excepted = currentDeadline(deadlines, kind);
    return deadlines.map((deadline) =>
      deadline === excepted && deadline.status === 'pending' ? { ...deadline, status: 'excepted', exception } : deadline,
    );
  }
  if (event.type === 'CaseReopened') {
    const reopened = [
      ...deadlines.map((deadline) => restarted(deadline, at)),
      ...started(key, STARTED_BY_REOPEN, at, event.data.deadlines),
    ];
    return vulnerableCustomer(reopened, { at, deadlines: event.data.vulnerableCustomerDeadlines });
  }
  const ended = deadlines.map((deadline) =>
    deadline.status === 'pending' && cancelsDeadline(event.type, deadline.kind) ? cancelled(deadline, at) : deadline,
  );
  const answered = ended.map((deadline) =>
    deadline.status === 'pending' && meetsDeadline(deadline.kind, event.type) ? met(deadline, at) : deadline,
  );
  return event.type === 'ComplaintResolved' ? [...answered, ...started(key, STARTED_BY_RESOLUTION, at, event.data.deadlines)] : answered;
}

/**
 * Per kind, what became of its current deadline (the latest one no reopen replaced); a kind is absent while its current
 * deadline runs, or when it has none. Undefined until some deadline has an outcome.
 */
export function currentOutcomes(deadlines: readonly CaseDeadline[]): DeadlineOutcomes | undefined {
  const current = new Map(deadlines.filter((deadline) => deadline.restartedAt === undefined).map((deadline) => [deadline.kind, deadline]));
  const outcomes = [...current].flatMap(([kind, deadline]) => {
    const outcome = outcomeOf(deadline);
    return outcome ? [[kind, outcome] as const] : [];
  });
  return outcomes.length > 0 ? Object.fromEntries(outcomes) : undefined;
}

/** A holding response extends the running final response to the due instant it records, or else meets it (DISP 1.6.2R(2)). */
function holdingResponse(deadlines: readonly CaseDeadline[], data: { at: string; deadlines?: readonly Deadline[] }) {
  const running = currentDeadline(deadlines, 'final-response');
  if (running?.status !== 'pending') return [...deadlines];
  if (data.deadlines?.some((deadline) => deadline.kind === 'final-response')) return rescheduled(deadlines, data, 'holding-reply');
  return deadlines.map((deadline) => (deadline === running ? met(running, data.at) : deadline));
}

/**
 * The regime's own due instant of a running deadline set anew (a payment-services marking, an ASIC complaint type, a holding reply,
 * an IDR delay notice):
 * under a vulnerable customer's shortened target, the sooner of the two stands.
 */
function rescheduled(
  deadlines: readonly CaseDeadline[],
  { at, deadlines: recorded }: { at: string; deadlines?: readonly Deadline[] },
  by: RescheduleBasis,
) {
  return (recorded ?? []).reduce(
    (current, regimeDue) => {
      const running = currentDeadline(current, regimeDue.kind);
      if (running?.status !== 'pending') return current;
      const target =
        running.shortenedFrom !== undefined && running.dueAt !== undefined && earlier(running.dueAt, regimeDue.dueAt)
          ? running.dueAt
          : undefined;
      const next: CaseDeadline = {
        ...movedTo(running, target === undefined ? regimeDue : { ...regimeDue, dueAt: target }, at, by),
        ...(target === undefined ? { shortenedFrom: undefined } : { shortenedFrom: regimeDue.dueAt }),
        ...(by === 'holding-reply' && running.dueAt ? { extendedFrom: running.dueAt } : {}),
      };
      return current.map((deadline) => (deadline === running ? present(next) : deadline));
    },
    [...deadlines],
  );
}

/** A vulnerable customer's target (VulnerabilityFlagged) or its end (VulnerabilityCleared): the due instant the event recorded. */
function vulnerableCustomer(
  deadlines: readonly CaseDeadline[],
  { at, deadlines: recorded }: { at: string; deadlines?: readonly Deadline[] },
) {
  return (recorded ?? []).reduce(
    (current, target) => {
      const running = currentDeadline(current, target.kind);
      if (running?.status !== 'pending' || running.dueAt === undefined) return current;
      const regimeDue = regimeDueAt(running) ?? running.dueAt;
      const next: CaseDeadline = {
        ...movedTo(running, target, at, 'vulnerable-customer'),
        shortenedFrom: earlier(target.dueAt, regimeDue) ? regimeDue : undefined,
      };
      return current.map((deadline) => (deadline === running ? present(next) : deadline));
    },
    [...deadlines],
  );
}

/** The due instant a running deadline owes without a vulnerable customer's shortened target. */
export function regimeDueAt(deadline: CaseDeadline): string | undefined {
  return deadline.shortenedFrom ?? deadline.dueAt;
}

/** The deadline due at `to` from `at` on; the due instant it had stays in `rescheduled`, with its policy version. */
function movedTo(deadline: CaseDeadline, to: Deadline, at: string, by: RescheduleBasis): CaseDeadline {
  if (deadline.dueAt !== undefined && Date.parse(deadline.dueAt) === Date.parse(to.dueAt)) return deadline;
  const earlierDue =
    deadline.dueAt !== undefined && deadline.policyVersion !== undefined
      ? [{ dueAt: deadline.dueAt, policyVersion: deadline.policyVersion, until: at, by }]
      : [];
  return { ...deadline, dueAt: to.dueAt, policyVersion: to.policyVersion, rescheduled: [...(deadline.rescheduled ?? []), ...earlierDue] };
}

function earlier(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

/** Where the current deadline of a kind counts from: the latest reopen that restarted that kind, else the receipt. */
export function currentStart(deadlines: readonly CaseDeadline[], kind: DeadlineKind, receivedAt: string): string {
  return deadlines.filter((deadline) => deadline.kind === kind && deadline.restartedAt !== undefined).at(-1)?.restartedAt ?? receivedAt;
}

/** The current deadline of a kind: the latest one no reopen replaced. */
export function currentDeadline(deadlines: readonly CaseDeadline[], kind: DeadlineKind): CaseDeadline | undefined {
  return deadlines.filter((deadline) => deadline.kind === kind && deadline.restartedAt === undefined).at(-1);
}

/**
 * Whether a cancelled deadline had already fallen due when the case ended (`endedAt`: the withdrawal or closure): it was
 * missed before it was cancelled, so it counts as breached, as the deadline clock would have recorded had it ticked in time.
 */
export function missedBeforeCancellation(deadline: Pick<DatedDeadline, 'status' | 'dueAt'>, endedAt: string | undefined): boolean {
  return deadline.status === 'cancelled' && endedAt !== undefined && instantMs(deadline.dueAt) < instantMs(endedAt);
}

/**
 * The deadlines of `kinds` that start at `from`: as the starting event recorded them, or, for an event recorded before events
 * carried their deadlines, computed under the case's policy version (those were all versions with a fixed calendar).
 */
function started(key: PolicyKey, kinds: readonly DeadlineKind[], from: string, recorded?: readonly Deadline[]): CaseDeadline[] {
  return kinds.map((kind) => {
    const deadline = recorded ? recorded.find((candidate) => candidate.kind === kind) : deadlineStartingAt(key, kind, from);
    return deadline
      ? { kind, dueAt: deadline.dueAt, policyVersion: deadline.policyVersion, status: 'pending' }
      : { kind, status: 'pending' };
  });
}

/** An answer at the very due instant is on time; a late one breaches the deadline at once, before the clock records it. */
function met(deadline: CaseDeadline, at: string): CaseDeadline {
  return isDated(deadline) && Date.parse(at) > Date.parse(deadline.dueAt)
    ? { ...deadline, status: 'breached', answeredAt: at, late: true, breachedAt: deadline.dueAt }
    : { ...deadline, status: 'met', answeredAt: at };
}

function cancelled(deadline: CaseDeadline, at: string): CaseDeadline {
  return { ...deadline, status: 'cancelled', cancelledAt: at };
}

/** A replaced deadline keeps what became of it; one still running can no longer be met, so it ends cancelled. */
function restarted(deadline: CaseDeadline, at: string): CaseDeadline {
  if (!DEADLINES_RESTARTED_BY_REOPEN.includes(deadline.kind) || deadline.restartedAt !== undefined) return deadline;
  return { ...deadline, status: deadline.status === 'pending' ? 'cancelled' : deadline.status, restartedAt: at };
}

/** Due instants compared as instants: the same instant may be written in more than one ISO-8601 form. */
function isBreachOf(deadline: CaseDeadline, breach: { readonly kind: DeadlineKind; readonly dueAt: string }): boolean {
  return deadline.kind === breach.kind && isDated(deadline) && Date.parse(deadline.dueAt) === Date.parse(breach.dueAt);
}

/** A deadline answered late was breached at its due instant, whenever the clock got to record it. */
function breachRecorded(deadline: CaseDeadline, at: string): CaseDeadline {
  return { ...deadline, status: 'breached', breachedAt: deadline.breachedAt ?? at, breachRecorded: true };
}

/** A late answer counts as met until the clock records the breach: the decider must still let the clock record it. */
function outcomeOf(deadline: CaseDeadline): DeadlineStatus | undefined {
  if (deadline.breachRecorded && isDated(deadline)) return { outcome: 'breached', at: deadline.dueAt };
  if (deadline.answeredAt !== undefined) return { outcome: 'met', at: deadline.answeredAt };
  if (deadline.cancelledAt !== undefined) return { outcome: 'cancelled', at: deadline.cancelledAt };
  if (deadline.exception !== undefined) return { outcome: 'excepted', at: deadline.exception.at };
  return undefined;
}
