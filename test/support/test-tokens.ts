/**
 * Real bearer tokens for the test helpers: every request a test sends through test-server.ts,
 * service-process.ts or run-cli.ts carries a token signed with TEST_AUTH_SECRET, unless it sends
 * its own Authorization header or asks to be anonymous.
 *
 * Tests written before authentication name the actor with X-Actor-Id / X-Actor-Role: those
 * headers become the token's sub and role and are not sent. Without them the token is an agent's,
 * or, on a route the role matrix closes to agents, one of the first role it admits (an analyst
 * for /analytics, an admin for /projections and /imports, a supervisor for the audit reads).
 */
import { SignJWT } from 'jose';
import { DEFAULT_TOKEN_AUDIENCE, DEFAULT_TOKEN_ISSUER } from '../../src/config/app-config';
import { ROLE_MATRIX } from '../../src/identity/role-matrix';
import type { ApiRole } from '../../src/identity/roles';

/** The AUTH_SECRET every test server, service process and CLI run gets unless the test sets its own. */
export const TEST_AUTH_SECRET = 'redress-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** The actor a token is minted for when the test names none. */
export const DEFAULT_TEST_ACTOR_ID = 'anonymous';

/**
 * Tests written before authentication pass `X-Actor-Role: customer` for the customer's own answers
 * (goodwill response, plan response, follow-up). No token carries a customer role: staff record what
 * the customer said, so those requests are made with an agent's token for the same subject.
 */
export const CUSTOMER_ROLE_IN_TOKENS = 'agent';

export interface TokenKeys {
  readonly secret: string;
  readonly issuer?: string;
  readonly audience?: string;
}

export const TEST_TOKEN_KEYS: TokenKeys = { secret: TEST_AUTH_SECRET };

/** A token for any sub and role, even ones the service refuses (so tests can see it refuse them). */
export function testToken(actor: { sub: string; role: string; ttl?: string }, keys: TokenKeys = TEST_TOKEN_KEYS): Promise<string> {
  return cached(`${actor.sub}\n${actor.role}\n${actor.ttl ?? ''}\n${keys.secret}\n${keys.issuer ?? ''}\n${keys.audience ?? ''}`, () =>
    mintUnchecked(actor, keys),
  );
}

const tokens = new Map<string, { token: string; until: number }>();
async function cached(key: string, mint: () => Promise<string>): Promise<string> {
  const hit = tokens.get(key);
  if (hit && hit.until > Date.now()) return hit.token;
  const token = await mint();
  tokens.set(key, { token, until: Date.now() + 30 * 60_000 });
  return token;
}

async function mintUnchecked(actor: { sub: string; role: string; ttl?: string }, keys: TokenKeys): Promise<string> {
  // Not src/identity's mintToken: that one refuses a bad sub or role, and tests must see the service refuse them.
  return new SignJWT({ role: actor.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.sub)
    .setIssuer(keys.issuer ?? DEFAULT_TOKEN_ISSUER)
    .setAudience(keys.audience ?? DEFAULT_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(actor.ttl ?? '2h')
    .sign(new TextEncoder().encode(keys.secret));
}

const ROUTES = Object.values(ROLE_MATRIX).map(({ route, roles }) => {
  const [method, path] = route.split(' ') as [string, string];
  const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return { method, pattern, roles: roles as readonly ApiRole[] };
});

/** `agent`, unless the matrix closes the route to agents: then the first role it admits. */
export function defaultRoleFor(method: string, url: string): ApiRole {
  const path = url.split('?')[0];
  const upper = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const route = ROUTES.find((candidate) => candidate.method === upper && candidate.pattern.test(path));
  return !route || route.roles.includes('agent') ? 'agent' : route.roles[0];
}

export interface AuthorizeOptions {
  /** Send no Authorization header at all. */
  readonly anonymous?: boolean;
  readonly keys?: TokenKeys;
}

/**
 * The headers to send: X-Actor-Id / X-Actor-Role turned into a bearer token (and dropped); an
 * explicit Authorization header kept as it is; nothing added for an anonymous request.
 */
export async function withToken(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  options: AuthorizeOptions = {},
): Promise<Record<string, string>> {
  const sent: Record<string, string> = {};
  let actorId: string | undefined;
  let actorRole: string | undefined;
  let explicit = false;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'x-actor-id') actorId = value;
    else if (lower === 'x-actor-role') actorRole = value;
    else {
      if (lower === 'authorization') explicit = true;
      sent[name] = value;
    }
  }
  if (explicit || options.anonymous) return sent;
  const role = actorRole === undefined ? defaultRoleFor(method, path) : actorRole === 'customer' ? CUSTOMER_ROLE_IN_TOKENS : actorRole;
  sent['authorization'] = `Bearer ${await testToken({ sub: actorId ?? DEFAULT_TEST_ACTOR_ID, role }, options.keys)}`;
  return sent;
}
