/**
 * Errors the command path raises. The HTTP layer maps each class to one status; nothing else
 * needs to know about HTTP.
 */

/** A business rule refused the command. `rule` is a stable kebab-case code, `message` says the rule in words. */
export class DomainRuleViolation extends Error {
  constructor(readonly rule: string, message: string) {
    super(message);
    this.name = 'DomainRuleViolation';
  }
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
  constructor(readonly stream: string, readonly expected: number | 'no_stream', readonly actual: number | 'no_stream') {
    super(`The case is at revision ${actual === 'no_stream' ? 'none' : actual}, not ${expected === 'no_stream' ? 'none' : expected}: reload it and retry.`);
    this.name = 'StaleRevisionError';
  }
}

/** An Idempotency-Key was reused for a different request. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string, readonly originalCommand: string) {
    super(`Idempotency-Key "${key}" was already used for ${originalCommand}; use a new key for a new request.`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
