/** The roles an actor can hold when a command is decided. `system` is Redress's own processes (the deadline clock). */
export const ACTOR_ROLES = ['agent', 'supervisor', 'customer', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** Who did something: recorded on every command and event. */
export interface Actor {
  readonly id: string;
  readonly role: ActorRole;
}
