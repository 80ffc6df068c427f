/**
 * The roles a bearer token may carry (its `role` claim). `system` is Redress's own processes and never comes from a token;
 * `monitor` is a metrics scraper's (Prometheus), which may read /metrics and nothing else.
 */
export const API_ROLES = ['agent', 'supervisor', 'auditor', 'analyst', 'admin', 'monitor'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}
