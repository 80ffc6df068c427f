/** An erasure as its follow-ups see it: whose data, and the log position of the PersonalDataErased that records it. */
export interface RecordedErasure {
  readonly customerId: string;
  readonly position: number;
}

/** One module's part of an erasure: removes what it keeps of the customer outside the log (e.g. attachment files). */
export type ErasureFollowUp = (erasure: RecordedErasure) => Promise<void>;

/**
 * What an erasure does after the key is destroyed and the erasure recorded: the copies of the customer's data the
 * modules keep outside the sealed events. Modules register their step when they start; the erasure route runs them all
 * in turn. A step must be idempotent: asking for the erasure again runs every step again, which is also how a step
 * interrupted by a crash is finished.
 */
export class ErasureFollowUps {
  private readonly steps = new Map<string, ErasureFollowUp>();

  register(name: string, step: ErasureFollowUp): void {
    this.steps.set(name, step);
  }

  async run(erasure: RecordedErasure): Promise<void> {
    for (const step of this.steps.values()) await step(erasure);
  }
}
