/**
 * Errors the command path raises. The HTTP layer maps each class to one status; nothing else
 * needs to know about HTTP.
 */

/** A business rule refused the command. `rule` is a stable kebab-case code, `message` says the rule in words. */
export class DomainRuleViolation extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainRuleViolation';
  }
}

/**
 * A module's business rules, each named once: `violation(rule)` builds the error, `ensure(condition, rule)`
 * throws it. (Assertion functions need a declared type at their use site: see `Ensure`.)
 */
export type Ensure<Rule extends string> = (condition: boolean, rule: Rule, detail?: string) => asserts condition;

export function ruleBook<Rules extends Record<string, string>>(rules: Rules) {
  const violation = (rule: keyof Rules & string, detail?: string) =>
    new DomainRuleViolation(rule, detail ? `${rules[rule]} ${detail}` : rules[rule]);
  const ensure: Ensure<keyof Rules & string> = (condition, rule, detail) => {
    if (!condition) throw violation(rule, detail);
  };
  return { violation, ensure };
}

/** The command addresses an entity that does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The client asked for revision N (If-Match) but the stream is at another revision. */
export class StaleRevisionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: number | 'no_stream',
    readonly actual: number | 'no_stream',
  ) {
    super(
      `The case is at revision ${actual === 'no_stream' ? 'none' : actual}, not ${expected === 'no_stream' ? 'none' : expected}: reload it and retry.`,
    );
    this.name = 'StaleRevisionError';
  }
}

/** An Idempotency-Key was reused for a different request. */
export class IdempotencyKeyReusedError extends Error {
  constructor(
    readonly key: string,
    readonly originalCommand: string,
  ) {
    super(`Idempotency-Key "${key}" was already used for ${originalCommand}; use a new key for a new request.`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
