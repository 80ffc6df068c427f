import type { IssuedCommand } from '../../core/decider';
import type { Actor } from '../../kernel/actor';

/** A complaint command as issued: who issues it (`by`) and the instant it is decided at (`at`, ISO-8601), so a decision stays pure. */
export type ComplaintCommandOf<Type extends string, Data> = IssuedCommand<Type, Data, Actor>;

/** Who and when, copied from the command onto every event it causes. */
export function stamp(command: ComplaintCommandOf<string, unknown>): { by: Actor; at: string } {
  return { by: command.by, at: command.at };
}

/** Drops absent optional fields so events carry only what was said. */
export function present<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
