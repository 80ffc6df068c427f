import { SignJWT, UnsecuredJWT } from 'jose';
import { type ApiResponse } from '../support/test-server';
import { TEST_AUTH_SECRET } from '../support/test-tokens';
import { validComplaint, withTestServer } from './e2e-helpers';

/**
 * Authentication over real HTTP: every route but the public ones needs `Authorization: Bearer
 * <JWT>`; a missing or unacceptable token is a 401 problem with an RFC 6750 WWW-Authenticate, and
 * the actor of a command is the token's sub and role, whatever else the request says.
 *
 * An unknown role in an otherwise valid token is a 401 (invalid_token), not a 403: the token does
 * not meet this API's claims contract, so it is not a credential here at all.
 */
describe('bearer tokens', () => {
  const server = withTestServer();

  const key = (secret = TEST_AUTH_SECRET) => new TextEncoder().encode(secret);
  const now = () => Math.floor(Date.now() / 1000);
  /** A token like the ones Redress mints, with any part of it changed. */
  function token(claims: Record<string, unknown> = {}, options: { secret?: string; omit?: string[] } = {}): Promise<string> {
    const payload: Record<string, unknown> = {
      sub: 'agent-7',
      role: 'agent',
      iss: 'redress',
      aud: 'redress-api',
      iat: now(),
      exp: now() + 600,
      ...claims,
    };
    for (const claim of options.omit ?? []) delete payload[claim];
    return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key(options.secret));
  }
  const getCases = (authorization?: string) =>
    server.request('GET', '/cases', authorization === undefined ? { anonymous: true } : { headers: { authorization } });

  function expectUnauthorized(response: ApiResponse, description?: RegExp): void {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'http://localhost:3000/problems/unauthorized',
      title: 'Unauthorized',
      status: 401,
      detail: expect.any(String),
      instance: '/cases',
    });
    const challenge = response.headers.get('www-authenticate');
    if (description === undefined) {
      expect(challenge).toBe('Bearer realm="redress"');
    } else {
      expect(challenge).toMatch(/^Bearer realm="redress", error="invalid_token", error_description="[^"\\]+"$/);
      expect(challenge).toMatch(description);
      expect(response.body.detail).toMatch(description);
    }
  }

  it('answers a request without a token with 401 and a bare Bearer challenge (RFC 6750 §3.1: no error code when no token was sent)', async () => {
    expectUnauthorized(await getCases());
    expectUnauthorized(await getCases('Basic YWxpY2U6c2VjcmV0'));
  });

  it.each([
    ['an empty Bearer credential', 'Bearer ', /must be: Bearer <token>/],
    ['two credentials', 'Bearer a.b.c d.e.f', /must be: Bearer <token>/],
    ['a token that is not a JWT', 'Bearer not-a-jwt', /not a well-formed JWT/],
    ['three garbage segments', 'Bearer aaa.bbb.ccc', /not a well-formed JWT/],
  ])('answers %s with 401 invalid_token', async (_, authorization, description) => {
    expectUnauthorized(await getCases(authorization), description);
  });

  it('answers a token signed with another secret with 401 invalid_token', async () => {
    expectUnauthorized(
      await getCases(`Bearer ${await token({}, { secret: 'another-secret-of-at-least-32-characters!' })}`),
      /signature is invalid/,
    );
  });

  it('answers a tampered token (role changed after signing) with 401', async () => {
    const [header, , signature] = (await token()).split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'agent-7', role: 'admin', iss: 'redress', aud: 'redress-api', exp: now() + 600 }),
    ).toString('base64url');
    expectUnauthorized(await getCases(`Bearer ${header}.${forged}.${signature}`), /signature is invalid/);
  });

  it('answers an expired token with 401 invalid_token', async () => {
    expectUnauthorized(await getCases(`Bearer ${await token({ iat: now() - 3600, exp: now() - 60 })}`), /expired/);
  });

  it('answers a token without exp with 401: exp is required', async () => {
    expectUnauthorized(await getCases(`Bearer ${await token({}, { omit: ['exp'] })}`), /exp claim/);
  });

  it('answers a token from another issuer, or for another audience, with 401', async () => {
    expectUnauthorized(await getCases(`Bearer ${await token({ iss: 'someone-else' })}`), /issuer/);
    expectUnauthorized(await getCases(`Bearer ${await token({}, { omit: ['iss'] })}`), /iss claim|issuer/);
    expectUnauthorized(await getCases(`Bearer ${await token({ aud: 'another-api' })}`), /audience/);
    expectUnauthorized(await getCases(`Bearer ${await token({}, { omit: ['aud'] })}`), /aud claim|audience/);
  });

  it('answers an unsigned token (alg none) with 401', async () => {
    const unsigned = new UnsecuredJWT({ role: 'admin' })
      .setSubject('mallory')
      .setIssuer('redress')
      .setAudience('redress-api')
      .setExpirationTime('1h')
      .encode();
    expectUnauthorized(await getCases(`Bearer ${unsigned}`), /algorithm \(none\) is not accepted/);
  });

  it.each<[string, Record<string, unknown>, string[], RegExp]>([
    ['an unknown role', { role: 'boss' }, [], /role claim must be one of: agent, supervisor, auditor, analyst, admin/],
    ['the reserved role system', { role: 'system' }, [], /role claim/],
    ['the former header role customer', { role: 'customer' }, [], /role claim/],
    ['no role', {}, ['role'], /role claim/],
    ['a sub that is not an id', { sub: 'agent 7' }, [], /sub claim/],
    ['no sub', {}, ['sub'], /sub claim/],
  ])('answers a token with %s with 401 invalid_token', async (_, claims, omit, description) => {
    expectUnauthorized(await getCases(`Bearer ${await token(claims, { omit })}`), description);
  });

  it('accepts a valid token, and the lowercase scheme too', async () => {
    expect((await getCases(`Bearer ${await token()}`)).status).toBe(200);
    expect((await getCases(`bearer ${await token()}`)).status).toBe(200);
  });

  it("records the token's sub and role as the actor, whatever X-Actor-* headers say", async () => {
    const response = await fetch(`${server.url}/cases`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token({ sub: 'alice', role: 'supervisor' })}`,
        'x-actor-id': 'mallory',
        'x-actor-role': 'admin',
      },
      body: JSON.stringify(validComplaint),
    });
    expect(response.status).toBe(201);
    const { caseId } = (await response.json()) as { caseId: string };
    const history = await server.get(`/cases/${caseId}/history`, { 'X-Actor-Role': 'auditor' });
    expect(history.status).toBe(200);
    expect(history.body.events[0].metadata.actor).toEqual({ id: 'alice', role: 'supervisor' });
    expect(history.body.events[0].data.by).toEqual({ id: 'alice', role: 'supervisor' });
  });

  it('refuses an authenticated role the matrix does not allow with a 403 problem naming the allowed roles', async () => {
    const response = await server.post('/cases', validComplaint, { authorization: `Bearer ${await token({ role: 'analyst' })}` });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'http://localhost:3000/problems/forbidden', status: 403, instance: '/cases' });
    expect(response.body.detail).toMatch(/analyst may not call receiveComplaint \(POST \/cases\); allowed: agent, supervisor/);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('checks the token before the body: a bad token on an invalid command is a 401, not a 400', async () => {
    const response = await server.request('POST', '/cases', { body: { nonsense: true }, headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
  });

  it('keeps the public routes public: /health, /docs and /docs-json need no token', async () => {
    for (const path of ['/health', '/docs', '/docs-json']) {
      expect({ path, status: (await server.request('GET', path, { anonymous: true })).status }).toEqual({ path, status: 200 });
    }
  });
});
