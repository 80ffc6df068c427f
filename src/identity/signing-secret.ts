import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { MIN_AUTH_SECRET_LENGTH, type AppConfig } from '../config/app-config';
import { generatedSecret } from '../config/secret-file';

export const SECRET_FILE_NAME = 'auth-secret';

/** Where the embedded profile keeps the HS256 secret it generated. */
export function secretFilePath(config: Pick<AppConfig, 'dataDir'>): string {
  return join(config.dataDir, SECRET_FILE_NAME);
}

export interface SigningSecret {
  readonly value: string;
  /** Where it came from, for logs (never the secret itself). */
  readonly source: 'AUTH_SECRET' | 'generated' | 'DATA_DIR';
  readonly file?: string;
}

/**
 * The HS256 secret tokens are verified (and minted) with: AUTH_SECRET when set; none when only a
 * JWKS URL is configured; otherwise (never in production, which loadConfig refuses) a random
 * secret made on first start in DATA_DIR/auth-secret, mode 0600, and reused by every later start.
 */
export function resolveSigningSecret(config: Pick<AppConfig, 'auth' | 'dataDir'>): SigningSecret | undefined {
  if (config.auth.secret !== undefined) return { value: config.auth.secret, source: 'AUTH_SECRET' };
  if (config.auth.jwksUrl !== undefined) return undefined;
  if (config.auth.production)
    throw new Error('NODE_ENV=production needs AUTH_SECRET or AUTH_JWKS_URL: secrets are never generated in production');
  const { value, file, created } = generatedSecret(secretFilePath(config), {
    // 48 random bytes, base64url: 64 characters, 384 bits.
    make: () => randomBytes(48).toString('base64url'),
    parse: usableSecret,
    setting: 'AUTH_SECRET',
  });
  return { value, source: created ? 'generated' : 'DATA_DIR', file };
}

function usableSecret(value: string, file: string): string {
  if (value.length < MIN_AUTH_SECRET_LENGTH)
    throw new Error(
      `${file} holds no usable secret (fewer than ${MIN_AUTH_SECRET_LENGTH} characters): delete it to have a new one made, or set AUTH_SECRET`,
    );
  return value;
}
