import type { Clock } from '../../src/core/clock';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface Span {
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly ms?: number;
}

export function spanMs(span: Span): number {
  return (
    (span.days ?? 0) * DAY_MS + (span.hours ?? 0) * HOUR_MS + (span.minutes ?? 0) * MINUTE_MS + (span.seconds ?? 0) * 1000 + (span.ms ?? 0)
  );
}

/** The ISO instant `span` after (or, with negative numbers, before) `from`. */
export function shift(from: string, span: Span): string {
  return new Date(Date.parse(from) + spanMs(span)).toISOString();
}

/**
 * A clock tests move by hand, to inject with `startTestServer({ clock })`.
 *
 * - `set` / `advance` move it; it never moves by itself unless `autoStep` is given, in which case
 *   every reading moves it on by that much afterwards (distinct, increasing instants for every
 *   command, so sorts by time are deterministic).
 * - It counts its readings and lets a test wait for the next ones: the deadline clock reads it once
 *   at the start of each tick, so on an otherwise idle server `readings(2)` means "a whole tick ran
 *   after this point" — a way to wait for the service's own timer without sleeping a guessed time.
 */
export class SteppingClock implements Clock {
  private current: number;
  private count = 0;
  private waiters: Array<{ target: number; resolve: () => void }> = [];

  constructor(
    start: string,
    private readonly autoStep: Span = {},
  ) {
    this.current = Date.parse(start);
    if (Number.isNaN(this.current)) throw new RangeError(`Not an instant: ${start}`);
  }

  now(): Date {
    const reading = new Date(this.current);
    this.current += spanMs(this.autoStep);
    this.count += 1;
    for (const waiter of [...this.waiters]) {
      if (this.count >= waiter.target) {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        waiter.resolve();
      }
    }
    return reading;
  }

  /** The instant the next reading returns, as an ISO string (does not count as a reading). */
  peek(): string {
    return new Date(this.current).toISOString();
  }

  set(instant: string): void {
    const ms = Date.parse(instant);
    if (Number.isNaN(ms)) throw new RangeError(`Not an instant: ${instant}`);
    this.current = ms;
  }

  advance(span: Span): string {
    this.current += spanMs(span);
    return this.peek();
  }

  get readingCount(): number {
    return this.count;
  }

  /** Resolves after `n` more readings, or rejects after `timeoutMs` (a failing test, never a pass). */
  readings(n: number, timeoutMs = 10_000): Promise<void> {
    const target = this.count + n;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other.resolve !== done);
        reject(new Error(`The clock was read ${this.count - (target - n)} times in ${timeoutMs} ms, expected ${n}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ target, resolve: done });
    });
  }
}
