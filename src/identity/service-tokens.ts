import type { AppConfig } from '../config/app-config';
import type { ApiRole } from './roles';
import { resolveSigningSecret } from './signing-secret';
import { mintToken } from './tokens';

/** `Authorization` header values for Redress's own clients (the demo, the benchmark), one token per actor. */
export type BearerFor = (actor: { readonly id: string; readonly role: ApiRole }) => Promise<string>;

/** Mints with the service's own HS256 secret (AUTH_SECRET or the DATA_DIR secret); fails when only a JWKS is configured. */
export function bearerFor(config: AppConfig): BearerFor {
  const secret = resolveSigningSecret(config);
  if (!secret) throw new Error('Tokens can only be minted with an HS256 secret (AUTH_SECRET or DATA_DIR/auth-secret), not from a JWKS');
  const minted = new Map<string, Promise<string>>();
  return ({ id, role }) => {
    const key = `${role}/${id}`;
    let token = minted.get(key);
    if (!token) minted.set(key, (token = mintToken({ sub: id, role, ttl: '1d' }, { ...config.auth, secret: secret.value })));
    return token.then((value) => `Bearer ${value}`);
  };
}
