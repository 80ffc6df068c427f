import { ConfigError, loadConfig } from './app-config';

const SECRET = 's'.repeat(32);

describe('configuration of authentication and hardening', () => {
  it('defaults: no secret configured (one is made under DATA_DIR), issuer redress, audience redress-api, no CORS origin, generous limits', () => {
    expect(loadConfig({})).toMatchObject({
      auth: { secret: undefined, jwksUrl: undefined, issuer: 'redress', audience: 'redress-api', production: false },
      corsOrigins: [],
      rateLimit: { max: 1200, windowMs: 60_000 },
      maxHeaderBytes: 16_384,
    });
  });

  it('reads every key', () => {
    expect(
      loadConfig({
        AUTH_SECRET: SECRET,
        AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
        AUTH_ISSUER: 'https://idp.example/',
        AUTH_AUDIENCE: 'redress',
        CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
        RATE_LIMIT_MAX: '10',
        RATE_LIMIT_WINDOW_MS: '1000',
        MAX_HEADER_BYTES: '8192',
      }),
    ).toMatchObject({
      auth: { secret: SECRET, jwksUrl: 'https://idp.example/.well-known/jwks.json', issuer: 'https://idp.example/', audience: 'redress' },
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      rateLimit: { max: 10, windowMs: 1000 },
      maxHeaderBytes: 8192,
    });
  });

  it('refuses to start in production without AUTH_SECRET or AUTH_JWKS_URL: secrets are never generated there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/NODE_ENV=production needs AUTH_SECRET or AUTH_JWKS_URL/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: SECRET }).auth).toMatchObject({ secret: SECRET, production: true });
    expect(
      loadConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }).auth.jwksUrl,
    ).toBe('https://idp.example/jwks');
  });

  it.each([
    [{ AUTH_SECRET: 'short' }, /AUTH_SECRET must be at least 32 characters/],
    [{ AUTH_JWKS_URL: 'ftp://idp.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, /AUTH_JWKS_URL must be an http\(s\):\/\/ URL/],
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks' }, /AUTH_ISSUER is required with AUTH_JWKS_URL[\s\S]*AUTH_AUDIENCE is required/],
    [
      { NODE_ENV: 'production', AUTH_JWKS_URL: 'http://idp.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' },
      /must be https:\/\/ when NODE_ENV=production/,
    ],
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, /CORS_ORIGINS must list origins/],
    [{ RATE_LIMIT_MAX: '0' }, /RATE_LIMIT_MAX must be an integer/],
    [{ RATE_LIMIT_WINDOW_MS: 'soon' }, /RATE_LIMIT_WINDOW_MS must be an integer/],
    [{ MAX_HEADER_BYTES: '100' }, /MAX_HEADER_BYTES must be an integer/],
  ])('refuses %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never shows AUTH_SECRET in its messages', () => {
    const secret = 'not-long-enough-secret';
    expect(() => loadConfig({ AUTH_SECRET: secret })).toThrow(ConfigError);
    try {
      loadConfig({ AUTH_SECRET: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});
