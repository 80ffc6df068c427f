import type { IssuedCommand } from '../../core/decider';
import type { Actor } from '../../kernel/actor';

/** A customer command as issued: who records the fact (`by`) and the instant it is decided at (`at`), so a decision stays pure. */
export type CustomerCommandOf<Type extends string, Data> = IssuedCommand<Type, Data, Actor>;
