/**
 * The roles an actor can hold when a command is decided: the API's roles (from the bearer token), `system`
 * for Redress's own processes (the deadline clock), and `customer`, which events recorded before
 * authentication may carry.
 */
export const ACTOR_ROLES = ['agent', 'supervisor', 'auditor', 'analyst', 'admin', 'system', 'customer'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** Who did something: recorded on every command and event. */
export interface Actor {
  readonly id: string;
  readonly role: ActorRole;
}
