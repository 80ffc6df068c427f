/** The roles a bearer token may carry (its `role` claim). `system` is Redress's own processes and never comes from a token. */
export const API_ROLES = ['agent', 'supervisor', 'auditor', 'analyst', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}
