import { ACTOR_ROLES, type ActorRole } from '../../kernel/actor';
import { validateCalendarSettings, type CalendarSettings } from './deadline-policies';
import { taxonomyProblems } from '../../kernel/root-cause-taxonomy';
import { ROOT_CAUSE_TAXONOMIES, type RootCauseTaxonomy } from './root-cause-taxonomy';

/** The tunable numbers the complaint rules depend on. Configuration builds one; the decider only reads it. */
export interface ComplaintPolicy {
  /** The largest goodwill amount, in minor units of `currency`, that `role` may offer without a supervisor's approval. */
  goodwillLimit(role: ActorRole, currency: string): number;
  /** How many days after resolution (or closure) a case may still be reopened; a supervisor may reopen it later. */
  readonly reopenWindowDays: number;
  /** The highest escalation level; only a supervisor raises a case to it. */
  readonly topEscalationLevel: number;
  /** The firm's calendar settings the deadline policies count business days and local days under. */
  readonly calendars: CalendarSettings;
  /** Every root-cause taxonomy version an assessment may be checked against: the built-in ones and the firm's. */
  readonly taxonomies: readonly RootCauseTaxonomy[];
}

export type GoodwillLimits = Readonly<Record<ActorRole, number>>;

export interface ComplaintPolicyConfig {
  /**
   * Goodwill authority per role, in minor units of a currency with two minor digits (5000 = 50.00).
   * Currencies with other minor digits keep the same amount in major units (5000 → 50 JPY, 50.000 BHD).
   */
  readonly goodwillLimits?: Partial<GoodwillLimits>;
  /** Exact limits in a currency's own minor units, overriding the scaled ones (e.g. `{ JPY: { agent: 8000 } }`). */
  readonly goodwillLimitsByCurrency?: Readonly<Record<string, Partial<GoodwillLimits>>>;
  readonly reopenWindowDays?: number;
  readonly topEscalationLevel?: number;
  readonly calendars?: CalendarSettings;
  /** The firm's own taxonomy versions (TAXONOMY_FILE), added to the built-in ones. */
  readonly taxonomies?: readonly RootCauseTaxonomy[];
}

export const DEFAULT_GOODWILL_LIMITS: GoodwillLimits = {
  agent: 5000,
  supervisor: 50000,
  auditor: 0,
  analyst: 0,
  admin: 0,
  system: 0,
  customer: 0,
};
export const DEFAULT_REOPEN_WINDOW_DAYS = 56;
export const DEFAULT_TOP_ESCALATION_LEVEL = 10;

/** ISO 4217 minor digits of the common currencies that do not use two; any other currency is taken to use two. */
export const CURRENCY_MINOR_DIGITS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  PYG: 0,
  UGX: 0,
  XAF: 0,
  XOF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function minorDigits(currency: string): number {
  const code = currency.toUpperCase();
  return Object.hasOwn(CURRENCY_MINOR_DIGITS, code) ? CURRENCY_MINOR_DIGITS[code] : 2;
}

/** Re-expresses an amount given in two-digit minor units in the minor units of `currency`, rounding down. */
export function scaleFromTwoDigitMinorUnits(amount: number, currency: string): number {
  const digits = minorDigits(currency);
  return digits >= 2 ? amount * 10 ** (digits - 2) : Math.floor(amount / 10 ** (2 - digits));
}

export function createComplaintPolicy(config: ComplaintPolicyConfig = {}): ComplaintPolicy {
  const limits: GoodwillLimits = { ...DEFAULT_GOODWILL_LIMITS, ...config.goodwillLimits };
  const limitsByCurrency = upperCaseKeys(config.goodwillLimitsByCurrency ?? {});
  const reopenWindowDays = config.reopenWindowDays ?? DEFAULT_REOPEN_WINDOW_DAYS;
  validateLimits('goodwillLimits', limits);
  for (const [currency, overrides] of Object.entries(limitsByCurrency)) validateLimits(`goodwillLimitsByCurrency.${currency}`, overrides);
  if (!Number.isInteger(reopenWindowDays) || reopenWindowDays < 0) {
    throw new RangeError(`reopenWindowDays must be a whole number of days, 0 or more; got ${reopenWindowDays}`);
  }
  const topEscalationLevel = config.topEscalationLevel ?? DEFAULT_TOP_ESCALATION_LEVEL;
  if (!Number.isInteger(topEscalationLevel) || topEscalationLevel < 1) {
    throw new RangeError(`topEscalationLevel must be a whole number, 1 or more; got ${topEscalationLevel}`);
  }
  const calendars = Object.freeze(validateCalendarSettings(config.calendars ?? {}));
  const problems = config.taxonomies === undefined ? [] : taxonomyProblems(config.taxonomies, ROOT_CAUSE_TAXONOMIES);
  if (problems.length > 0) throw new RangeError(`taxonomies: ${problems.join('; ')}`);
  const taxonomies = Object.freeze([...ROOT_CAUSE_TAXONOMIES, ...(config.taxonomies ?? [])]);
  return Object.freeze({
    reopenWindowDays,
    topEscalationLevel,
    calendars,
    taxonomies,
    goodwillLimit(role: ActorRole, currency: string): number {
      const code = currency.toUpperCase();
      const exact = Object.hasOwn(limitsByCurrency, code) ? limitsByCurrency[code][role] : undefined;
      return exact ?? scaleFromTwoDigitMinorUnits(limits[role], code);
    },
  });
}

export const DEFAULT_COMPLAINT_POLICY: ComplaintPolicy = createComplaintPolicy();

function upperCaseKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toUpperCase(), value]));
}

function validateLimits(name: string, limits: Partial<GoodwillLimits>): void {
  for (const [role, limit] of Object.entries(limits)) {
    if (!(ACTOR_ROLES as readonly string[]).includes(role)) throw new RangeError(`${name}: unknown role "${role}"`);
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
      throw new RangeError(`${name}.${role} must be a whole number of minor units, 0 or more; got ${limit}`);
    }
  }
}
