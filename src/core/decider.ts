/** An event as the domain knows it: a type and its payload. Storage concerns live in the event store. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** A command as the domain knows it. */
export interface DomainCommand<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * A command as every stream kind issues it: who decided it (`by`) and the instant it is decided at (`at`),
 * added by the command path so that `decide` stays pure.
 */
export type IssuedCommand<Type extends string, Data, By> = DomainCommand<Type, Data> & {
  readonly by: By;
  readonly at: string;
};

/**
 * A pure decider (Jérémie Chassaing's pattern): state is folded from events and commands
 * are decided against that state. No I/O, no clocks, no randomness: everything the decision
 * needs travels in the command.
 */
export interface Decider<Command, Event, State> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): readonly Event[];
}

export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}

/** The commands of a union, by their type: what a decider's dispatch table is keyed by. */
export type CommandsByType<Command extends DomainCommand> = { [Each in Command as Each['type']]: Each };

/** The rule codes one entry of a dispatch table declares as its own. */
export type RulesOf<Entry> = Entry extends { readonly rules: infer Rules } ? keyof Rules : never;

/** A decider's whole rule book: its shared rules and the rules each entry of its dispatch table declares. */
export function collectRules<Rule extends string>(
  shared: Readonly<Record<string, string>>,
  table: Readonly<Record<string, object>>,
): Readonly<Record<Rule, string>> {
  const own = Object.values(table).map((entry) => ('rules' in entry ? (entry.rules as Record<string, string>) : {}));
  return Object.assign({}, shared, ...own) as Record<Rule, string>;
}
