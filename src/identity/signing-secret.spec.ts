import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { resolveSigningSecret, secretFilePath } from './signing-secret';
import { mintToken, tokenVerifier } from './tokens';

describe('the HS256 signing secret', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-secret-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is AUTH_SECRET when set, and nothing is written', () => {
    const secret = resolveSigningSecret(loadConfig({ DATA_DIR: dataDir, AUTH_SECRET: 'x'.repeat(40) }));
    expect(secret).toEqual({ value: 'x'.repeat(40), source: 'AUTH_SECRET' });
    expect(() => statSync(secretFilePath({ dataDir }))).toThrow();
  });

  it('with nothing configured, is made once in DATA_DIR/auth-secret (mode 0600) and reused', () => {
    const config = loadConfig({ DATA_DIR: join(dataDir, 'not-yet') });
    const first = resolveSigningSecret(config)!;
    expect(first.source).toBe('generated');
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file!, 'utf8').trim()).toBe(first.value);
    const second = resolveSigningSecret(config)!;
    expect(second).toEqual({ value: first.value, source: 'DATA_DIR', file: first.file });
  });

  it('refuses a secret file others can read, or one too short to be a key', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const file = secretFilePath(config);
    writeFileSync(file, 'y'.repeat(64));
    chmodSync(file, 0o644);
    expect(() => resolveSigningSecret(config)).toThrow(/readable by other users/);
    writeFileSync(file, 'short');
    chmodSync(file, 0o600);
    expect(() => resolveSigningSecret(config)).toThrow(/no usable secret/);
  });

  it('is none when only a JWKS URL is configured: tokens then come from the identity provider', () => {
    expect(
      resolveSigningSecret(
        loadConfig({ DATA_DIR: dataDir, AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }),
      ),
    ).toBeUndefined();
  });

  it('is never generated in production', () => {
    expect(() => resolveSigningSecret({ dataDir, auth: { issuer: 'redress', audience: 'redress-api', production: true } })).toThrow(
      /never generated in production/,
    );
  });

  it('signs tokens the verifier accepts, with the configured issuer and audience', async () => {
    const keys = { secret: 'z'.repeat(32), issuer: 'redress', audience: 'redress-api' };
    const token = await mintToken({ sub: 'alice', role: 'auditor', ttl: '5m' }, keys);
    await expect(tokenVerifier(keys)(token)).resolves.toEqual({ id: 'alice', role: 'auditor' });
    await expect(tokenVerifier({ ...keys, audience: 'other' })(token)).rejects.toThrow(/audience/);
    await expect(mintToken({ sub: 'alice', role: 'boss' as never }, keys)).rejects.toThrow(RangeError);
    await expect(mintToken({ sub: 'alice', role: 'agent', ttl: 'forever' }, keys)).rejects.toThrow(RangeError);
  });
});
