import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { RequestValidationError } from '../../../core/http/problem-details';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * A period boundary in a query string: a UTC date (`2026-01-31`) or an instant with an offset. A date
 * means the start of that day for `from` and the end of it for `to`, so `from=2026-01-01&to=2026-03-31`
 * is the whole first quarter.
 */
export function BoundaryParam(description: string, options: { readonly required: boolean; readonly example: string }) {
  return applyDecorators(
    ApiPropertyOptional({ description, example: options.example, required: options.required, type: String }),
    ...(options.required ? [] : [IsOptional()]),
    ValidateIf((_, value) => options.required || value !== undefined),
    Matches(new RegExp(`${DATE.source}|${INSTANT.source}`), {
      message: '$property must be a date (YYYY-MM-DD) or a date-time with a UTC offset (e.g. 2026-01-31T00:00:00Z)',
    }),
  );
}

/** A whole number of days in a query string. */
export function DaysParam(description: string, options: { readonly min: number; readonly max: number; readonly default: number }) {
  return applyDecorators(
    ApiPropertyOptional({ description, minimum: options.min, maximum: options.max, default: options.default, type: 'integer' }),
    IsOptional(),
    Transform(({ value }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value)),
    IsInt({ message: '$property must be a whole number of days' }),
    Min(options.min),
    Max(options.max),
  );
}

export const MIN_POSITION_PARAM = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'Read-your-writes: wait until the analytics reflect this global position' }),
    IsOptional(),
    Matches(/^\d{1,15}$/, { message: '$property must be a whole number' }),
  );

/** The instant a boundary stands for, as UTC `toISOString()` text (the form every read model stores). */
export function boundaryInstant(value: string, edge: 'from' | 'to', field: string): string {
  const ms = DATE.test(value) ? Date.parse(`${value}T00:00:00.000Z`) + (edge === 'to' ? DAY_MS : 0) : Date.parse(value);
  if (Number.isNaN(ms) || !isCalendarDate(value.slice(0, 10)))
    throw new RequestValidationError([{ field, message: `is not a real date: ${value}` }]);
  return new Date(ms).toISOString();
}

/** `Date.parse` rolls 2025-02-30 over into March; a boundary must name a day that exists. */
function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export interface Period {
  /** Inclusive. */
  readonly from: string;
  /** Exclusive. */
  readonly to: string;
}

/** `[from, to)` from the two query parameters; `to` must come after `from`. */
export function periodOf(from: string, to: string): Period {
  const period = { from: boundaryInstant(from, 'from', 'from'), to: boundaryInstant(to, 'to', 'to') };
  if (period.to <= period.from)
    throw new RequestValidationError([{ field: 'to', message: `must be after from (the period is [${period.from}, ${period.to}))` }]);
  return period;
}

export function addDays(instant: string, days: number): string {
  return new Date(Date.parse(instant) + days * DAY_MS).toISOString();
}

/** Rounds half away from zero to `places` decimals without binary-fraction surprises (1.005 → 1.01). */
export function round(value: number, places: number): number {
  const sign = value < 0 ? -1 : 1;
  return sign * Number(`${Math.round(Number(`${Math.abs(value)}e${places}`))}e-${places}`);
}

/** PostgreSQL answers COUNT and SUM of bigint as strings: every aggregate is read through this. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) throw new Error(`Not a number from the read store: ${String(value)}`);
  return number;
}
