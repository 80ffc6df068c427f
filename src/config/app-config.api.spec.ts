import { ConfigError, loadConfig } from './app-config';

describe('configuration of the API contract and idempotency', () => {
  it('defaults: the public URL is this host on PORT; keys are kept 24 hours', () => {
    expect(loadConfig({})).toMatchObject({ publicBaseUrl: 'http://localhost:3000', idempotencyRetentionMs: 24 * 3_600_000 });
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
  });

  it('reads PUBLIC_BASE_URL without its trailing slash, and IDEMPOTENCY_RETENTION_HOURS', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://redress.example.com/api/', IDEMPOTENCY_RETENTION_HOURS: '48' })).toMatchObject({
      publicBaseUrl: 'https://redress.example.com/api',
      idempotencyRetentionMs: 48 * 3_600_000,
    });
  });

  it.each([
    ['PUBLIC_BASE_URL', 'redress.example.com', /PUBLIC_BASE_URL must be an http\(s\) URL/],
    ['PUBLIC_BASE_URL', 'ftp://redress.example.com', /PUBLIC_BASE_URL must be an http\(s\) URL/],
    ['PUBLIC_BASE_URL', 'https://redress.example.com/?a=1', /PUBLIC_BASE_URL must be an http\(s\) URL/],
    ['IDEMPOTENCY_RETENTION_HOURS', '0', /IDEMPOTENCY_RETENTION_HOURS must be an integer from 1/],
    ['IDEMPOTENCY_RETENTION_HOURS', '1.5', /IDEMPOTENCY_RETENTION_HOURS must be an integer/],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
