/** The source of "now" for command decisions and deadlines; tests inject a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };
