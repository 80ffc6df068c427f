import { fold, type Decider } from '../../src/core/decider';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** What the thrown error must also satisfy: a rule code (matched against `error.rule`) or an assertion of one's own. */
type ErrorExpectation<E extends Error> = string | ((error: E) => void);

export interface DeciderThen<Event> {
  /** The command is accepted and decides exactly these events, in order. */
  then(expected: readonly Event[]): void;
  /** The command is refused with an error of this class (and, for a rule violation, this rule code). */
  thenThrows<E extends Error>(errorClass: ErrorClass<E>, expectation?: ErrorExpectation<E>): void;
}

/**
 * Given / when / then for a pure decider (as in Emmett's DeciderSpecification):
 * `DeciderSpecification.for(decider).given(events).when(command).then(events)`.
 */
export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return {
      given(history: readonly Event[] = []) {
        return {
          when(command: Command): DeciderThen<Event> {
            const decideNow = () => decider.decide(command, fold(decider, history));
            return {
              then(expected) {
                const events = decideNow();
                expect(events).toEqual(expected);
                // The decided events must also evolve cleanly.
                fold(decider, [...history, ...events]);
              },
              thenThrows<E extends Error>(errorClass: ErrorClass<E>, expectation?: ErrorExpectation<E>) {
                let thrown: unknown;
                try {
                  decideNow();
                } catch (error) {
                  thrown = error;
                }
                if (thrown === undefined) throw new Error(`Expected ${errorClass.name} but the command was accepted`);
                expect(thrown).toBeInstanceOf(errorClass);
                const error = thrown as E;
                if (typeof expectation === 'string') expect({ rule: (error as { rule?: unknown }).rule }).toEqual({ rule: expectation });
                else expectation?.(error);
              },
            };
          },
        };
      },
    };
  },
};
