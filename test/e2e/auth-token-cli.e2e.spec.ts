import { decodeJwt } from 'jose';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli';
import { startTestServer } from '../support/test-server';

/** `npm run token -- --sub alice --role agent [--ttl 8h]` (the CLI's `token` command) prints a token the service accepts. */
describe('redress token', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-token-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints a token, signed with AUTH_SECRET, that the running service accepts for that subject and role', async () => {
    const run = await runCli(['token', '--sub', 'alice', '--role', 'auditor', '--ttl', '5m'], { DATA_DIR: dataDir });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const token = run.stdout.trim();
    expect(run.stdout).toBe(`${token}\n`);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'alice', role: 'auditor', iss: 'redress', aud: 'redress-api' });
    expect(claims.exp! - claims.iat!).toBe(300);

    const server = await startTestServer({ dataDir });
    try {
      const opened = await server.post('/cases', { customerId: 'cust-1', channel: 'email', summary: 'Late parcel' });
      const history = await server.get(`/cases/${opened.body.caseId}/history`, { authorization: `Bearer ${token}` });
      expect(history.status).toBe(200);
      expect((await server.post('/cases', {}, { authorization: `Bearer ${token}` })).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('with nothing configured, signs with the secret the embedded profile keeps in DATA_DIR/auth-secret (0600), which the service reuses, and never prints it', async () => {
    const run = await runCli(['token', '--sub', 'ops-script', '--role', 'admin'], { DATA_DIR: dataDir, AUTH_SECRET: '' });
    expect(run.code).toBe(0);
    const file = join(dataDir, 'auth-secret');
    const secret = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(run.stdout + run.stderr).not.toContain(secret);
    const token = run.stdout.trim();

    let server = await startTestServer({ dataDir, env: { AUTH_SECRET: '' } });
    try {
      expect((await server.get('/projections', { authorization: `Bearer ${token}` })).status).toBe(200);
      server = await server.restart();
      expect((await server.get('/projections', { authorization: `Bearer ${token}` })).status).toBe(200);
      expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    } finally {
      await server.close();
    }
    // A server with another secret refuses it.
    const other = await startTestServer();
    try {
      expect((await other.get('/projections', { authorization: `Bearer ${token}` })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses bad arguments (exit 2) and, in production, to generate a secret (exit 1)', async () => {
    const badRole = await runCli(['token', '--sub', 'alice', '--role', 'boss'], { DATA_DIR: dataDir });
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of: agent, supervisor, auditor, analyst, admin/);
    expect(badRole.stdout).toBe('');
    const production = await runCli(['token', '--sub', 'alice', '--role', 'agent'], {
      DATA_DIR: dataDir,
      AUTH_SECRET: '',
      NODE_ENV: 'production',
    });
    expect(production.code).toBe(1);
    expect(production.stderr).toMatch(/NODE_ENV=production needs AUTH_SECRET or AUTH_JWKS_URL/);
    expect(() => statSync(join(dataDir, 'auth-secret'))).toThrow();
  });
});
