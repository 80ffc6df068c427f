import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../support/service-process';
import { startTestServer, TestServer, type ApiResponse } from '../support/test-server';
import { TEST_AUTH_SECRET } from '../support/test-tokens';
import { validComplaint } from './e2e-helpers';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'redress-test-api';

/**
 * Tokens from an identity provider: Redress verifies ES256 / RS256 tokens against the JWKS the
 * provider publishes (here served by the test on 127.0.0.1), with its issuer and this API's audience.
 */
describe('tokens verified against a JWKS', () => {
  let jwks: Server;
  let jwksUrl: string;
  let server: TestServer;
  let es256: { privateKey: KeyLike; kid: string };
  let rs256: { privateKey: KeyLike; kid: string };
  let fetches = 0;

  beforeAll(async () => {
    const ec = await generateKeyPair('ES256');
    const rsa = await generateKeyPair('RS256');
    es256 = { privateKey: ec.privateKey, kid: 'ec-1' };
    rs256 = { privateKey: rsa.privateKey, kid: 'rsa-1' };
    const keys = [
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    ];
    jwks = createServer((request, response) => {
      fetches++;
      if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((listening) => jwks.listen(0, '127.0.0.1', listening));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    // JWKS only: no AUTH_SECRET, so no HS256 token passes either.
    server = await startTestServer({ env: { AUTH_SECRET: '', AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((closed) => jwks?.close(closed));
  });

  const now = () => Math.floor(Date.now() / 1000);
  function token(key: { privateKey: KeyLike; kid: string }, alg: 'ES256' | 'RS256', claims: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT({ sub: 'idp-user-1', role: 'agent', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300, ...claims })
      .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  }
  const getCases = (jwt: string) => server.request('GET', '/cases', { headers: { authorization: `Bearer ${jwt}` } });
  function expectInvalid(response: ApiResponse, description: RegExp): void {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="redress", error="invalid_token", error_description="/);
    expect(response.headers.get('www-authenticate')).toMatch(description);
  }

  it("accepts ES256 and RS256 tokens signed with the published keys, and records the provider's subject as the actor", async () => {
    expect((await getCases(await token(es256, 'ES256'))).status).toBe(200);
    expect((await getCases(await token(rs256, 'RS256'))).status).toBe(200);
    const opened = await server.post('/cases', validComplaint, {
      authorization: `Bearer ${await token(es256, 'ES256', { sub: 'idp-user-2', role: 'supervisor' })}`,
    });
    expect(opened.status).toBe(201);
    const history = await server.get(`/cases/${opened.body.caseId}/history`, {
      authorization: `Bearer ${await token(es256, 'ES256', { role: 'auditor' })}`,
    });
    expect(history.body.events[0].metadata.actor).toEqual({ id: 'idp-user-2', role: 'supervisor' });
    expect(fetches).toBeGreaterThanOrEqual(1);
  });

  it('refuses a token from another issuer, or for another audience', async () => {
    expectInvalid(await getCases(await token(es256, 'ES256', { iss: 'https://other-idp.example/' })), /issuer/);
    expectInvalid(await getCases(await token(es256, 'ES256', { iss: 'redress' })), /issuer/);
    expectInvalid(await getCases(await token(es256, 'ES256', { aud: 'redress-api' })), /audience/);
  });

  it('refuses a token signed by a key the provider does not publish, under a known kid or an unknown one', async () => {
    const impostor = await generateKeyPair('ES256');
    expectInvalid(await getCases(await token({ privateKey: impostor.privateKey, kid: 'ec-1' }, 'ES256')), /signature is invalid/);
    expectInvalid(
      await getCases(await token({ privateKey: impostor.privateKey, kid: 'ec-9' }, 'ES256')),
      /No key of the identity provider/,
    );
  });

  it('refuses expired tokens and HS256 tokens (no shared secret is configured)', async () => {
    expectInvalid(await getCases(await token(es256, 'ES256', { iat: now() - 900, exp: now() - 600 })), /expired/);
    const hs256 = await new SignJWT({ sub: 'x', role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(TEST_AUTH_SECRET));
    expectInvalid(await getCases(hs256), /algorithm \(HS256\) is not accepted here; accepted: RS256, ES256/);
  });

  it("answers 503 with Retry-After, not 401, while the provider's keys cannot be fetched", async () => {
    const unreachable = await startTestServer({
      env: {
        AUTH_SECRET: '',
        AUTH_JWKS_URL: `http://127.0.0.1:${await freePort()}/jwks.json`,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
      },
    });
    try {
      const response = await unreachable.request('GET', '/cases', { headers: { authorization: `Bearer ${await token(es256, 'ES256')}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.body.detail).toMatch(/AUTH_JWKS_URL/);
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await unreachable.close();
    }
  });
});
